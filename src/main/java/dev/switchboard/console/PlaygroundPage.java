package dev.switchboard.console;

import dev.switchboard.mcp.McpPlayground;
import dev.switchboard.security.Caller;
import dev.switchboard.security.Scope;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
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
 * The console's playground for one virtual server: its tools, resources and prompts as the server lists them, and a
 * form that calls a tool, reads a resource or gets a prompt. The request goes to the same method handlers as an MCP
 * client's, and the page shows the raw JSON-RPC request and response. It needs the mcp:use scope, as MCP does.
 */
@Controller
public class PlaygroundPage {

    private static final List<String> ACTIONS = List.of("tools/call", "resources/read", "prompts/get");
    private final McpPlayground playground;
    private final JsonMapper json;

    public PlaygroundPage(McpPlayground playground, JsonMapper json) {
        this.playground = playground;
        this.json = json;
    }

    /** A tool, resource or prompt as the page offers it: what to send and how the server describes it. */
    public record Entry(String name, String description) {
    }

    @GetMapping(ConsolePaths.SERVERS + "/{id}/playground")
    public String show(@PathVariable String id, Authentication who, Model model, HttpServletResponse response) {
        return page(Caller.of(who), id, "tools/call", "", "{}", null, null, model, response);
    }

    @PostMapping(ConsolePaths.SERVERS + "/{id}/playground")
    public String send(@PathVariable String id, @RequestParam(name = "method", defaultValue = "") String method,
                       @RequestParam(name = "name", defaultValue = "") String name,
                       @RequestParam(name = "arguments", defaultValue = "{}") String arguments, Authentication who,
                       Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!caller.scopes().contains(Scope.MCP)) {
            return page(caller, id, method, name, arguments, null, null, model, response);
        }
        ObjectNode params = json.createObjectNode();
        switch (method) {
            case "resources/read" -> params.put("uri", name.strip());
            case "tools/call", "prompts/get" -> {
                params.put("name", name.strip());
                JsonNode parsed;
                try {
                    parsed = arguments.isBlank() ? json.createObjectNode() : json.readTree(arguments);
                } catch (JacksonException e) {
                    parsed = null;
                }
                if (parsed == null || !parsed.isObject()) {
                    response.setStatus(422);
                    model.addAttribute("argumentsError",
                            "Arguments must be a JSON object, such as {\"city\": \"Oslo\"}.");
                    return page(caller, id, method, name, arguments, null, null, model, response);
                }
                params.set("arguments", parsed);
            }
            default -> {
                response.setStatus(422);
                model.addAttribute("error", "Choose what to send: " + String.join(", ", ACTIONS) + ".");
                return page(caller, id, method, name, arguments, null, null, model, response);
            }
        }
        ObjectNode request = json.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        request.set("params", params);
        ObjectNode answer = playground.exchange(caller, id, request);
        return page(caller, id, method, name, arguments, pretty(request), pretty(answer), model, response);
    }

    private String page(Caller caller, String id, String method, String name, String arguments, String sent,
                        String received, Model model, HttpServletResponse response) {
        boolean mayUse = caller.scopes().contains(Scope.MCP);
        if (!mayUse) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("error", "The playground speaks MCP for you: that needs the mcp:use scope.");
        }
        model.addAttribute("serverId", id);
        model.addAttribute("tools", mayUse ? list(caller, id, "tools/list", "tools", "name") : List.of());
        model.addAttribute("resources", mayUse ? list(caller, id, "resources/list", "resources", "uri") : List.of());
        model.addAttribute("prompts", mayUse ? list(caller, id, "prompts/list", "prompts", "name") : List.of());
        model.addAttribute("actions", ACTIONS);
        model.addAttribute("method", method);
        model.addAttribute("name", name);
        model.addAttribute("arguments", arguments);
        model.addAttribute("sent", sent);
        model.addAttribute("received", received);
        model.addAttribute("active", "servers");
        return "console/playground";
    }

    /** One list method's entries, every page of it (the server's page size bounds each request). */
    private List<Entry> list(Caller caller, String serverId, String method, String field, String key) {
        List<Entry> entries = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            ObjectNode request = json.createObjectNode().put("jsonrpc", "2.0").put("id", page).put("method", method);
            if (cursor != null) {
                request.putObject("params").put("cursor", cursor);
            }
            JsonNode result = playground.exchange(caller, serverId, request).path("result");
            for (JsonNode item : result.path(field)) {
                entries.add(new Entry(item.path(key).asString(""), item.path("description").asString("")));
            }
            cursor = result.path("nextCursor").asString(null);
            if (cursor == null) {
                break;
            }
        }
        return entries;
    }

    private String pretty(JsonNode node) {
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }
}
