package dev.switchboard.console;

import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.catalog.rest.ServerEndpoint;
import dev.switchboard.catalog.rest.ServerEndpoint.ServerView;
import dev.switchboard.problem.ApiProblem;
import dev.switchboard.security.Caller;
import dev.switchboard.users.TeamDirectory;
import dev.switchboard.users.TeamDirectory.TeamView;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Who may use a virtual server and its per-tool policy: its team, its visibility, the teams it is shared with, and
 * its CEL rules. Saved as one merge patch through ServerEndpoint, guarded by the version the page showed; a mistake
 * is shown next to the field the API names (a rule's line and column included). Changing needs catalog:write.
 */
@Controller
public class ServerAccessPage {

    private final ServerEndpoint servers;
    private final TeamDirectory teams;
    private final JsonMapper json;
    private final CatalogWriters writers;

    public ServerAccessPage(ServerEndpoint servers, TeamDirectory teams, JsonMapper json, CatalogWriters writers) {
        this.writers = writers;
        this.servers = servers;
        this.teams = teams;
        this.json = json;
    }

    @GetMapping(ConsolePaths.SERVERS + "/{id}/access")
    public String page(@PathVariable String id, Authentication who, Model model, HttpServletResponse response) {
        ServerView server;
        try {
            server = servers.get(UUID.fromString(id)).getBody();
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return "console/access";
        }
        return page(Caller.of(who), server, server.teamId().toString(), server.visibility(),
                server.sharedWith().stream().map(UUID::toString).toList(), pretty(server.policy()), model);
    }

    @PostMapping(ConsolePaths.SERVERS + "/{id}/access")
    public String save(@PathVariable String id, @RequestParam(name = "teamId", defaultValue = "") String teamId,
                       @RequestParam(name = "visibility", defaultValue = "") String visibility,
                       @RequestParam(name = "sharedWith", required = false) List<String> sharedWith,
                       @RequestParam(name = "policy", defaultValue = "") String policy,
                       @RequestParam(name = "version", defaultValue = "-1") long version, Authentication who,
                       Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        List<String> shared = sharedWith == null ? List.of() : sharedWith;
        ServerView server;
        try {
            server = servers.get(UUID.fromString(id)).getBody();
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return "console/access";
        }
        if (!writers.mayWrite(caller)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("error", CatalogWriters.SERVERS_REFUSED);
            return page(caller, server, teamId, visibility, shared, policy, model);
        }
        ObjectNode patch = json.createObjectNode();
        patch.put("teamId", teamId);
        patch.put("visibility", visibility);
        shared.forEach(patch.putArray("sharedWith")::add);
        if (!patch.has("sharedWith")) {
            patch.putArray("sharedWith");
        }
        try {
            patch.set("policy", policy.isBlank() ? json.createArrayNode() : json.readTree(policy));
        } catch (JacksonException e) {
            response.setStatus(422);
            model.addAttribute("field", "policy");
            model.addAttribute("fieldError", "The policy is not JSON: write an array of rules, "
                    + "[{\"effect\": \"deny\", \"when\": \"…\"}], or leave it empty.");
            return page(caller, server, teamId, visibility, shared, policy, model);
        }
        try {
            servers.patch(server.id(), "\"" + version + "\"", patch);
        } catch (RuntimeException e) {
            if (!(e instanceof ApiProblem problem)) {
                throw e;
            }
            response.setStatus(problem.problemType().status().value());
            if (e instanceof InvalidEntryException invalid) {
                model.addAttribute("field", invalid.field().startsWith("policy") ? "policy" : invalid.field());
                model.addAttribute("fieldError", invalid.field() + ": " + invalid.getMessage());
            } else {
                model.addAttribute("error", problem.problemDetail());
            }
            return page(caller, server, teamId, visibility, shared, policy, model);
        }
        redirect.addFlashAttribute("notice", "Saved who may use " + server.name() + ".");
        return "redirect:" + ConsolePaths.SERVERS + "/" + id + "/access";
    }

    private String page(Caller caller, ServerView server, String teamId, String visibility, List<String> shared,
                        String policy, Model model) {
        List<TeamView> all = teams.list(caller);
        model.addAttribute("server", server);
        model.addAttribute("teams", all);
        model.addAttribute("teamNames", all.stream().collect(Collectors.toMap(t -> t.id().toString(),
                TeamView::name, (a, b) -> a)));
        model.addAttribute("teamId", teamId);
        model.addAttribute("visibility", visibility);
        model.addAttribute("shared", shared);
        model.addAttribute("policy", policy);
        model.addAttribute("canWrite", writers.mayWrite(caller));
        model.addAttribute("active", "servers");
        return "console/access";
    }

    private String pretty(JsonNode policy) {
        return policy == null || policy.isEmpty() ? "" : json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(policy);
    }
}
