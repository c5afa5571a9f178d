package dev.switchboard.console;

import dev.switchboard.catalog.DiscoveryOutcome;
import dev.switchboard.catalog.SyncReport;
import dev.switchboard.catalog.rest.AuthBody;
import dev.switchboard.catalog.rest.GatewayEndpoint;
import dev.switchboard.catalog.rest.GatewayEndpoint.GatewayBody;
import dev.switchboard.catalog.rest.GatewayEndpoint.GatewayView;
import dev.switchboard.federation.RefreshEndpoint;
import dev.switchboard.problem.ApiProblem;
import dev.switchboard.security.Caller;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * The console's upstreams: register one by URL (the transport is detected) or by stdio command with its
 * environment, with credentials that can be set but never read back; refresh one and see the discovery's report;
 * enable, disable, and delete after a confirmation. Every write goes through the same endpoint code as
 * /v1/gateways, so its rules and errors are the API's, shown next to the field they name. Writes need
 * catalog:write; without it the forms are not shown and a forged post is refused.
 */
@Controller
public class UpstreamsPage {

    private static final String VIEW = "console/upstreams";
    /** The form's fields that show their own mistakes. */
    private static final java.util.Set<String> FIELDS = java.util.Set.of("name", "url", "command", "args", "env",
            "username", "secret");
    private final GatewayEndpoint gateways;
    private final RefreshEndpoint refresh;
    private final CatalogWriters writers;

    public UpstreamsPage(GatewayEndpoint gateways, RefreshEndpoint refresh, CatalogWriters writers) {
        this.writers = writers;
        this.gateways = gateways;
        this.refresh = refresh;
    }

    /** The registration form as it was sent, and its mistake by field. */
    public record RegisterForm(String name, String url, String command, String args, String env, String authType,
                               String username, String secret, String field, String error) {

        static RegisterForm blank() {
            return new RegisterForm("", "", "", "", "", "none", "", "", null, null);
        }

        /** True for a mistake no field of the form shows next to itself. */
        public boolean unplaced() {
            return error != null && (field == null || !FIELDS.contains(field));
        }

        RegisterForm failed(String atField, String message) {
            return new RegisterForm(name, url, command, args, env, authType, username, "", atField, message);
        }
    }

    @GetMapping(ConsolePaths.UPSTREAMS)
    public String list(@RequestParam(name = "after", required = false) String after, Authentication who,
                       Model model, HttpServletResponse response) {
        return page(Caller.of(who), RegisterForm.blank(), after, model, response);
    }

    @PostMapping(ConsolePaths.UPSTREAMS)
    public String register(@RequestParam Map<String, String> fields, Authentication who, Model model,
                           HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!writers.mayWrite(caller)) {
            return forbidden(caller, model, response);
        }
        RegisterForm form = new RegisterForm(field(fields, "name"), field(fields, "url"), field(fields, "command"),
                field(fields, "args"), field(fields, "env"), fields.getOrDefault("authType", "none"),
                field(fields, "username"), fields.getOrDefault("secret", ""), null, null);
        GatewayView created;
        try {
            created = gateways.create(body(form)).getBody();
        } catch (RuntimeException e) {
            if (!(e instanceof ApiProblem problem)) {
                throw e;
            }
            response.setStatus(problem.problemType().status().value());
            return page(caller, form.failed(formField(problem.problemField()), problem.problemDetail()), null, model,
                    response);
        }
        response.setStatus(HttpServletResponse.SC_CREATED);
        model.addAttribute("notice", "Registered " + created.name() + ". " + describe(created.discovery()));
        return page(caller, RegisterForm.blank(), null, model, response);
    }

    @PostMapping(ConsolePaths.UPSTREAMS + "/{id}/refresh")
    public String refresh(@PathVariable String id, Authentication who, Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!writers.mayWrite(caller)) {
            return forbidden(caller, model, response);
        }
        ResponseEntity<?> answer;
        try {
            answer = refresh.refresh(UUID.fromString(id));
        } catch (RuntimeException e) {
            return failed(caller, e, model, response);
        }
        if (answer.getBody() instanceof DiscoveryOutcome outcome) {
            model.addAttribute("notice", "Refreshed. " + describe(outcome));
        } else {
            response.setStatus(answer.getStatusCode().value());
            model.addAttribute("error",
                    answer.getBody() instanceof ProblemDetail p ? p.getDetail() : "Refresh failed.");
        }
        return page(caller, RegisterForm.blank(), null, model, response);
    }

    @PostMapping(ConsolePaths.UPSTREAMS + "/{id}/{action:enable|disable}")
    public String setEnabled(@PathVariable String id, @PathVariable String action, Authentication who, Model model,
                             HttpServletResponse response, RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        if (!writers.mayWrite(caller)) {
            return forbidden(caller, model, response);
        }
        GatewayView changed;
        try {
            UUID uuid = UUID.fromString(id);
            changed = (action.equals("enable") ? gateways.enable(uuid) : gateways.disable(uuid)).getBody();
        } catch (RuntimeException e) {
            return failed(caller, e, model, response);
        }
        redirect.addFlashAttribute("notice", changed.name() + " is " + action + "d.");
        return "redirect:" + ConsolePaths.UPSTREAMS;
    }

    /** Asks before deleting: the upstream's tools, resources and prompts go with it. */
    @GetMapping(ConsolePaths.UPSTREAMS + "/{id}/delete")
    public String confirmDelete(@PathVariable String id, Authentication who, Model model,
                                HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!writers.mayWrite(caller)) {
            return forbidden(caller, model, response);
        }
        try {
            model.addAttribute("upstream", gateways.get(UUID.fromString(id)).getBody());
        } catch (RuntimeException e) {
            return failed(caller, e, model, response);
        }
        model.addAttribute("active", "upstreams");
        return "console/upstream-delete";
    }

    @PostMapping(ConsolePaths.UPSTREAMS + "/{id}/delete")
    public String delete(@PathVariable String id, Authentication who, Model model, HttpServletResponse response,
                         RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        if (!writers.mayWrite(caller)) {
            return forbidden(caller, model, response);
        }
        String name;
        try {
            UUID uuid = UUID.fromString(id);
            name = gateways.get(uuid).getBody().name();
            gateways.delete(uuid, null);
        } catch (RuntimeException e) {
            return failed(caller, e, model, response);
        }
        redirect.addFlashAttribute("notice", name + " is deleted.");
        return "redirect:" + ConsolePaths.UPSTREAMS;
    }

    private String page(Caller caller, RegisterForm form, String after, Model model, HttpServletResponse response) {
        GatewayEndpoint.PageView<GatewayView> page;
        try {
            page = gateways.list(PageErrors.blankToNull(after), OverviewPage.PAGE_SIZE, null, null, null);
        } catch (RuntimeException e) {
            // A stale or edited page link: say so, and show the first page.
            PageErrors.show(e, model, response);
            page = gateways.list(null, OverviewPage.PAGE_SIZE, null, null, null);
        }
        model.addAttribute("upstreams", page.items());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("form", form);
        model.addAttribute("canWrite", writers.mayWrite(caller));
        model.addAttribute("active", "upstreams");
        return VIEW;
    }

    /** An API problem (a missing upstream, a bad id) as the page's error, with its status. */
    private String failed(Caller caller, RuntimeException e, Model model, HttpServletResponse response) {
        PageErrors.show(e, model, response);
        return page(caller, RegisterForm.blank(), null, model, response);
    }

    private String forbidden(Caller caller, Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("error", "You may not change upstreams: that needs the catalog:write scope and "
                + "an editor's role in a team.");
        return page(caller, RegisterForm.blank(), null, model, response);
    }


    /** The API's body for the form: a URL or a command (never both), and the chosen credential. */
    static GatewayBody body(RegisterForm form) {
        GatewayEndpoint.Command command = null;
        if (!form.command().isBlank()) {
            List<String> args = form.args().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            Map<String, JsonNode> env = new LinkedHashMap<>();
            for (String line : form.env().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
                int eq = line.indexOf('=');
                String value = eq < 0 ? "" : line.substring(eq + 1);
                env.put(eq < 0 ? line : line.substring(0, eq), StringNode.valueOf(value));
            }
            command = new GatewayEndpoint.Command(form.command().strip(), args, env);
        }
        AuthBody auth = switch (form.authType()) {
            case "basic" -> new AuthBody("basic", form.username(), form.secret(), null, null, null);
            case "bearer" -> new AuthBody("bearer", null, null, form.secret(), null, null);
            default -> null;
        };
        return new GatewayBody(form.name(), null, null, null, form.url().isBlank() ? null : form.url().strip(),
                command, auth, null, null, null, null);
    }

    /** The form field an API field names ("command.env" is the env box, "auth.password" the secret box). */
    static String formField(String apiField) {
        if (apiField == null) {
            return null;
        }
        if (apiField.startsWith("auth.password") || apiField.startsWith("auth.token")) {
            return "secret";
        }
        if (apiField.startsWith("auth.username")) {
            return "username";
        }
        if (apiField.startsWith("command.env")) {
            return "env";
        }
        if (apiField.startsWith("command.args")) {
            return "args";
        }
        if (apiField.startsWith("command")) {
            return "command";
        }
        return apiField.equals("transport") ? "url" : apiField;
    }

    /** A discovery's outcome in a sentence. */
    static String describe(DiscoveryOutcome outcome) {
        if (outcome == null) {
            return "";
        }
        if (!outcome.status().equals("completed")) {
            return "Discovery " + outcome.status() + ": " + outcome.detail();
        }
        List<String> parts = new ArrayList<>();
        count(parts, "tools", outcome.tools());
        count(parts, "resources", outcome.resources());
        count(parts, "resource templates", outcome.templates());
        count(parts, "prompts", outcome.prompts());
        return "Discovery completed (protocol " + outcome.protocolVersion() + "): "
                + (parts.isEmpty() ? "nothing changed." : String.join("; ", parts) + ".");
    }

    private static void count(List<String> parts, String kind, SyncReport.Counts counts) {
        if (counts == null) {
            return;
        }
        List<String> changes = new ArrayList<>();
        if (counts.added() > 0) changes.add(counts.added() + " added");
        if (counts.updated() > 0) changes.add(counts.updated() + " updated");
        if (counts.disabled() > 0) changes.add(counts.disabled() + " disabled");
        if (counts.reenabled() > 0) changes.add(counts.reenabled() + " re-enabled");
        if (!changes.isEmpty()) {
            parts.add(kind + " " + String.join(", ", changes));
        }
    }

    private static String field(Map<String, String> fields, String name) {
        return fields.getOrDefault(name, "");
    }

}
