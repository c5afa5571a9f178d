package dev.switchboard.security;

import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Who may use an MCP endpoint: the {@code mcp:use} scope, and for an API token narrowed to named virtual servers,
 * an endpoint of one of them ({@code /servers/{id}/mcp}, {@code /sse}, {@code /messages}); the whole catalog's
 * {@code /mcp} and {@code /sse} are refused to such a token.
 */
final class ServerNarrowing implements AuthorizationManager<RequestAuthorizationContext> {

    private static final Pattern SERVER = Pattern.compile("/servers/([^/]+)/(mcp|sse)");

    /** Refused because the token is narrowed to other servers: the 403 names them. */
    static final class Refused extends AuthorizationDecision {
        private final Set<UUID> servers;

        Refused(Set<UUID> servers) {
            super(false);
            this.servers = servers;
        }

        Set<UUID> servers() {
            return servers;
        }
    }

    private final AuthorizationManager<RequestAuthorizationContext> scope =
            AuthorityAuthorizationManager.hasAuthority(Scope.MCP.authority());

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                                         RequestAuthorizationContext context) {
        AuthorizationResult byScope = scope.authorize(authentication, context);
        if (byScope == null || !byScope.isGranted()
                || !(authentication.get() instanceof ApiTokenAuthentication token) || token.servers() == null) {
            return byScope;
        }
        String endpoint = McpResources.of(context.getRequest()).orElse("");
        return reaches(token.servers(), endpoint) ? byScope : new Refused(token.servers());
    }

    /** Whether an endpoint path ({@link McpResources#of}) is one of {@code servers}'. */
    static boolean reaches(Set<UUID> servers, String endpoint) {
        Matcher server = SERVER.matcher(endpoint);
        if (!server.matches()) {
            return false;
        }
        try {
            return servers.contains(UUID.fromString(server.group(1)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
