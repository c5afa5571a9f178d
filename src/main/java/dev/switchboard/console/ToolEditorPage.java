package dev.switchboard.console;

import dev.switchboard.catalog.RestRequest;
import dev.switchboard.catalog.rest.AuthBody;
import dev.switchboard.catalog.rest.ToolEndpoint;
import dev.switchboard.catalog.rest.ToolEndpoint.ToolBody;
import dev.switchboard.catalog.rest.ToolEndpoint.ToolView;
import dev.switchboard.mcp.McpPlayground;
import dev.switchboard.problem.ApiProblem;
import dev.switchboard.security.Caller;
import dev.switchboard.security.Scope;
import dev.switchboard.security.UserRights;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console's REST tool editor: a REST tool created or changed with a form, through ToolEndpoint's own code, so
 * that the API's rules hold and its mistakes are shown next to the field they name; a credential is set but never
 * shown. "Try it" calls the saved tool as an MCP client of the whole catalog would, showing the JSON-RPC.
 */
@Controller
public class ToolEditorPage {

    private static final String VIEW = "console/tool";
    private static final String TOOLS = ConsolePaths.CATALOG + "/tools";
    /** The form's fields that show their own mistakes. */
    private static final Set<String> FIELDS = Set.of("name", "description", "inputSchema", "method", "url", "query",
            "headers", "body", "bodyTemplate", "timeoutMs", "username", "secret", "tags");

    private final ToolEndpoint tools;
    private final McpPlayground playground;
    private final CatalogWriters writers;
    private final UserRights rights;
    private final JsonMapper json;

    public ToolEditorPage(ToolEndpoint tools, McpPlayground playground, CatalogWriters writers, UserRights rights,
                          JsonMapper json) {
        this.tools = tools;
        this.playground = playground;
        this.writers = writers;
        this.rights = rights;
        this.json = json;
    }

    /** The form as it was sent (or as the stored tool reads), and its mistake by field. */
    public record ToolForm(String name, String description, String inputSchema, String method, String url,
                           String query, String headers, String body, String bodyTemplate, String timeoutMs,
                           String authType, String username, String tags, String field, String error) {

        static ToolForm blank() {
            return new ToolForm("", "", "{\"type\": \"object\", \"properties\": {}}", "GET", "", "", "", "none", "",
                    "", "none", "", "", null, null);
        }

        static ToolForm of(ToolView tool, JsonMapper json) {
            RestRequest r = tool.request();
            return new ToolForm(tool.name(), tool.description() == null ? "" : tool.description(),
                    json.writerWithDefaultPrettyPrinter().writeValueAsString(tool.inputSchema()), r.method(), r.url(),
                    lines(r.query(), "="), lines(r.headers(), ": "), r.body() == null ? "none" : r.body(),
                    r.bodyTemplate() == null ? "" : r.bodyTemplate(),
                    r.timeoutMs() == null ? "" : String.valueOf(r.timeoutMs()), tool.auth().type(),
                    tool.auth().username() == null ? "" : tool.auth().username(), String.join(", ", tool.tags()),
                    null, null);
        }

        /** True for a mistake no field of the form shows next to itself. */
        public boolean unplaced() {
            return error != null && (field == null || !FIELDS.contains(field));
        }

        ToolForm failed(String atField, String message) {
            return new ToolForm(name, description, inputSchema, method, url, query, headers, body, bodyTemplate,
                    timeoutMs, authType, username, tags, atField, message);
        }

        private static String lines(Map<String, String> values, String separator) {
            StringBuilder text = new StringBuilder();
            values.forEach((k, v) -> text.append(k).append(separator).append(v).append('\n'));
            return text.toString();
        }
    }

    @GetMapping(TOOLS + "/new")
    public String blank(Authentication who, Model model, HttpServletResponse response) {
        return page(Caller.of(who), null, ToolForm.blank(), model, response);
    }

    @PostMapping(TOOLS + "/new")
    public String create(@RequestParam Map<String, String> fields, Authentication who, Model model,
                         HttpServletResponse response) {
        Caller caller = Caller.of(who);
        ToolForm form = form(fields);
        if (!writers.mayWrite(caller)) {
            return page(caller, null, form, model, response);
        }
        try {
            ToolView created = tools.create(body(form, fields.getOrDefault("secret", ""), null, null)).getBody();
            return "redirect:" + TOOLS + "/" + created.id() + "?saved";
        } catch (RuntimeException e) {
            return refused(caller, null, form, e, model, response);
        }
    }

    @GetMapping(TOOLS + "/{id}")
    public String edit(@PathVariable String id, @RequestParam(name = "saved", required = false) String saved,
                       Authentication who, Model model, HttpServletResponse response) {
        if (saved != null) {
            model.addAttribute("notice", "The tool was saved.");
        }
        ToolView tool = find(id, model, response);
        return tool == null ? VIEW : page(Caller.of(who), tool, editable(tool, model), model, response);
    }

    @PostMapping(TOOLS + "/{id}")
    public String save(@PathVariable String id, @RequestParam Map<String, String> fields, Authentication who,
                       Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        ToolView tool = find(id, model, response);
        if (tool == null) {
            return VIEW;
        }
        ToolForm form = form(fields);
        if (!writers.mayWrite(caller)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("error", "You may not change tools: that needs the catalog:write scope and an "
                    + "editor's role in the tool's team.");
            return page(caller, tool, form, model, response);
        }
        try {
            tools.replace(tool.id(), null, body(form, fields.getOrDefault("secret", ""), tool,
                    version(fields.get("version"))));
            return "redirect:" + TOOLS + "/" + tool.id() + "?saved";
        } catch (RuntimeException e) {
            return refused(caller, tool, form, e, model, response);
        }
    }

    /** Calls the saved tool with the arguments given, through the whole catalog's tools/call. */
    @PostMapping(TOOLS + "/{id}/try")
    public String tryIt(@PathVariable String id, @RequestParam(name = "arguments", defaultValue = "{}") String arguments,
                        Authentication who, Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        ToolView tool = find(id, model, response);
        if (tool == null) {
            return VIEW;
        }
        model.addAttribute("arguments", arguments);
        JsonNode parsed;
        try {
            parsed = arguments.isBlank() ? json.createObjectNode() : json.readTree(arguments);
        } catch (JacksonException e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isObject()) {
            response.setStatus(422);
            model.addAttribute("argumentsError", "Arguments must be a JSON object, such as {\"city\": \"Oslo\"}.");
        } else if (mayTry(caller, model)) {
            ObjectNode request = json.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call");
            request.putObject("params").put("name", tool.name()).set("arguments", parsed);
            model.addAttribute("sent", pretty(request));
            model.addAttribute("received", pretty(playground.exchange(caller, null, request)));
        } else {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        }
        return page(caller, tool, editable(tool, model), model, response);
    }

    private ToolView find(String id, Model model, HttpServletResponse response) {
        model.addAttribute("active", "catalog");
        try {
            return tools.get(UUID.fromString(id)).getBody();
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return null;
        }
    }

    /** The form of a stored tool; a federated one is not edited here. */
    private ToolForm editable(ToolView tool, Model model) {
        if (!"REST".equalsIgnoreCase(tool.integrationType())) {
            model.addAttribute("federated", true);
            return ToolForm.blank();
        }
        return ToolForm.of(tool, json);
    }

    /** Whether the caller may call tools here: with mcp:use, and held to no team (the whole catalog's rule). */
    private boolean mayTry(Caller caller, Model model) {
        if (!caller.scopes().contains(Scope.MCP)) {
            model.addAttribute("tryError", "Trying a tool speaks MCP for you: that needs the mcp:use scope.");
            return false;
        }
        if (!rights.accessOf(caller).everything()) {
            model.addAttribute("tryError", "Trying a tool here calls it through the whole catalog, which is for "
                    + "platform administrators: add it to a virtual server of your team and use that server's "
                    + "playground.");
            return false;
        }
        return true;
    }

    /** The version the page showed, which a save must still find; a forged one is a mistake, not a 500. */
    private static long version(String text) {
        try {
            return Long.parseLong(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw new FormMistake("version", "The page's version of the tool is missing: reload the page");
        }
    }

    private String page(Caller caller, ToolView tool, ToolForm form, Model model, HttpServletResponse response) {
        boolean mayWrite = writers.mayWrite(caller);
        if (!mayWrite && tool == null) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("error", "You may not add tools: that needs the catalog:write scope and an editor's "
                    + "role in a team.");
        }
        model.addAttribute("active", "catalog");
        model.addAttribute("tool", tool);
        model.addAttribute("form", form);
        model.addAttribute("canWrite", mayWrite);
        model.addAttribute("methods", RestRequest.METHODS.stream().sorted().toList());
        model.addAttribute("bodies", List.of("none", "arguments", "template"));
        if (!model.containsAttribute("arguments")) {
            model.addAttribute("arguments", "{}");
        }
        return VIEW;
    }

    private String refused(Caller caller, ToolView tool, ToolForm form, RuntimeException e, Model model,
                           HttpServletResponse response) {
        if (e instanceof FormMistake mistake) {
            response.setStatus(422);
            return page(caller, tool, form.failed(mistake.field, mistake.getMessage()), model, response);
        }
        if (!(e instanceof ApiProblem problem)) {
            throw e;
        }
        response.setStatus(problem.problemType().status().value());
        return page(caller, tool, form.failed(formField(problem.problemField()), problem.problemDetail()), model,
                response);
    }

    /**
     * The form field an API field names: "request.url" is the url box; credentials are named as on the upstreams
     * page ("auth.token" is the secret box).
     */
    static String formField(String apiField) {
        if (apiField != null && apiField.startsWith("request.")) {
            String rest = apiField.substring("request.".length());
            int dot = rest.indexOf('.');
            return dot < 0 ? rest : rest.substring(0, dot);
        }
        if (apiField != null && apiField.startsWith("inputSchema")) {
            return "inputSchema";
        }
        return UpstreamsPage.formField(apiField);
    }

    private static ToolForm form(Map<String, String> f) {
        return new ToolForm(f.getOrDefault("name", ""), f.getOrDefault("description", ""),
                f.getOrDefault("inputSchema", ""), f.getOrDefault("method", "GET"), f.getOrDefault("url", ""),
                f.getOrDefault("query", ""), f.getOrDefault("headers", ""), f.getOrDefault("body", "none"),
                f.getOrDefault("bodyTemplate", ""), f.getOrDefault("timeoutMs", ""), f.getOrDefault("authType", "none"),
                f.getOrDefault("username", ""), f.getOrDefault("tags", ""), null, null);
    }

    /**
     * The API body the form and its secret (never shown again, so not in the form) stand for; {@code current}'s
     * display name and state are kept on an edit, and an empty secret keeps the stored one.
     */
    private ToolBody body(ToolForm form, String secret, ToolView current, Long version) {
        JsonNode schema;
        try {
            schema = form.inputSchema().isBlank() ? null : json.readTree(form.inputSchema());
        } catch (JacksonException e) {
            throw new FormMistake("inputSchema", "inputSchema is not JSON: " + e.getOriginalMessage());
        }
        Integer timeout = null;
        if (!form.timeoutMs().isBlank()) {
            try {
                timeout = Integer.valueOf(form.timeoutMs().strip());
            } catch (NumberFormatException e) {
                throw new FormMistake("timeoutMs", "timeoutMs must be a whole number of milliseconds");
            }
        }
        RestRequest request = new RestRequest(form.method(), form.url().strip(), pairs("query", form.query(), "="),
                pairs("headers", form.headers(), ":"), form.body(),
                form.bodyTemplate().isBlank() ? null : form.bodyTemplate(), timeout);
        String given = secret.isEmpty() ? null : secret;
        AuthBody auth = switch (form.authType()) {
            case "basic" -> new AuthBody("basic", form.username(), given, null, null, null);
            case "bearer" -> new AuthBody("bearer", null, null, given, null, null);
            // A header credential set through the API: the form offers to keep it (or give it a new value).
            case "header" -> new AuthBody("header", null, null, null,
                    current == null ? null : current.auth().headerName(), given);
            default -> new AuthBody("none", null, null, null, null, null);
        };
        Set<String> tags = new LinkedHashSet<>();
        Arrays.stream(form.tags().split(",")).map(String::strip).filter(t -> !t.isEmpty()).forEach(tags::add);
        return new ToolBody(form.name().strip(), current == null ? null : current.displayName(),
                form.description().isBlank() ? null : form.description(), schema, null, null, request, auth, tags,
                current == null ? null : current.enabled(), null, version);
    }

    /** Lines of {@code name<separator>value}, as a map in their order; a line without the separator is a mistake. */
    private static Map<String, String> pairs(String field, String text, String separator) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            int at = line.indexOf(separator);
            if (at <= 0) {
                throw new FormMistake(field, "each line of " + field + " is name" + separator + "value, not '"
                        + line.strip() + "'");
            }
            values.put(line.substring(0, at).strip(), line.substring(at + separator.length()).strip());
        }
        return values;
    }

    private String pretty(JsonNode node) {
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    /** A mistake the form itself finds before the API sees it (a schema that is not JSON, a malformed line). */
    private static final class FormMistake extends RuntimeException {
        final String field;

        FormMistake(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
