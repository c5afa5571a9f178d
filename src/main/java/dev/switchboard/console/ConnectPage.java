package dev.switchboard.console;

import dev.switchboard.catalog.rest.ServerEndpoint;
import dev.switchboard.catalog.rest.ServerEndpoint.ServerView;
import dev.switchboard.problem.ApiProblem;
import dev.switchboard.security.ApiTokenService;
import dev.switchboard.security.Caller;
import dev.switchboard.security.IssuedApiToken;
import dev.switchboard.security.PublicUrl;
import dev.switchboard.security.Scope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * How to connect a client to one virtual server: its MCP URL and ready-to-paste configurations for Claude Code,
 * Claude Desktop, VS Code, Cursor and the MCP Inspector, with OAuth and, after "Issue a token", with a new API token
 * (the mcp:use scope, 30 days, named after the server) filled in. The token is shown only on that page.
 */
@Controller
public class ConnectPage {

    /** How long a token issued here lives. */
    static final int TOKEN_DAYS = 30;
    private final ServerEndpoint servers;
    private final ApiTokenService tokens;
    private final PublicUrl publicUrl;
    private final JsonMapper json;

    public ConnectPage(ServerEndpoint servers, ApiTokenService tokens, PublicUrl publicUrl, JsonMapper json) {
        this.servers = servers;
        this.tokens = tokens;
        this.publicUrl = publicUrl;
        this.json = json;
    }

    @GetMapping(ConsolePaths.SERVERS + "/{id}/connect")
    public String connect(@PathVariable String id, Authentication who, HttpServletRequest request, Model model,
                          HttpServletResponse response) {
        return page(Caller.of(who), id, null, request, model, response);
    }

    /** Issues an mcp:use token for this server's configurations; the secret appears on this page only. */
    @PostMapping(ConsolePaths.SERVERS + "/{id}/connect")
    public String issue(@PathVariable String id, Authentication who, HttpServletRequest request, Model model,
                        HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!caller.scopes().contains(Scope.TOKENS) || !caller.scopes().contains(Scope.MCP)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("error", "You may not issue a token for this: that needs the tokens:manage and "
                    + "mcp:use scopes.");
            return page(caller, id, null, request, model, response);
        }
        ServerView server = server(id, model, response);
        if (server == null) {
            return page(caller, id, null, request, model, response);
        }
        // A token name takes 1 to 128 of A-Z a-z 0-9 _ . - ; a random tail keeps each issue distinct.
        String slug = server.name().replaceAll("[^A-Za-z0-9_.-]", "-");
        String name = "connect-" + slug.substring(0, Math.min(100, slug.length())) + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        // Narrowed to this server: the configuration it goes into reaches nothing else.
        ObjectNode body = json.createObjectNode().put("name", name).put("expiresInDays", TOKEN_DAYS);
        body.set("scopes", json.createArrayNode().add(Scope.MCP.value()));
        body.set("servers", json.createArrayNode().add(server.id().toString()));
        IssuedApiToken issued = tokens.issue(caller, body);
        model.addAttribute("issuedName", issued.token().name());
        model.addAttribute("tokenDays", TOKEN_DAYS);
        return page(caller, id, issued.secret(), request, model, response);
    }

    private String page(Caller caller, String id, String token, HttpServletRequest request, Model model,
                        HttpServletResponse response) {
        ServerView server = server(id, model, response);
        model.addAttribute("active", "servers");
        if (server == null) {
            return "console/connect";
        }
        String base = publicUrl.baseFor(request).map(Object::toString).orElse("");
        String url = base + "/servers/" + server.id() + "/mcp";
        model.addAttribute("server", server);
        model.addAttribute("url", url);
        model.addAttribute("token", token);
        model.addAttribute("oauth", ClientConfigurations.of(url, null));
        model.addAttribute("withToken", ClientConfigurations.of(url, token == null ? "sbt_…" : token));
        model.addAttribute("canIssue", caller.scopes().contains(Scope.TOKENS) && caller.scopes().contains(Scope.MCP));
        return "console/connect";
    }

    private ServerView server(String id, Model model, HttpServletResponse response) {
        try {
            return servers.get(UUID.fromString(id)).getBody();
        } catch (RuntimeException e) {
            if (!(e instanceof ApiProblem) && !(e instanceof IllegalArgumentException)) {
                throw e;
            }
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            model.addAttribute("error", "No virtual server has this id.");
            return null;
        }
    }
}
