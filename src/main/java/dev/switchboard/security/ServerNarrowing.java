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
 * {@code /mcp} and {@code /sse} are refused to such a token, and to a user held to their teams
 * ({@link TeamAccess}): the whole catalog is the administrators', and users reach virtual servers. Which servers a
 * user may use is the MCP endpoints' own check, since it needs the catalog.
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

    /** Refused because the whole catalog is for administrators, and the caller is a user held to teams. */
    static final class WholeCatalogRefused extends AuthorizationDecision {
        WholeCatalogRefused() {
            super(false);
        }
    }

    private final AuthorizationManager<RequestAuthorizationContext> scope =
            AuthorityAuthorizationManager.hasAuthority(Scope.MCP.authority());
    private final UserRights rights;

    ServerNarrowing(UserRights rights) {
        this.rights = rights;
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                                         RequestAuthorizationContext context) {
        AuthorizationResult byScope = scope.authorize(authentication, context);
        if (byScope == null || !byScope.isGranted()) {
            return byScope;
        }
        String endpoint = McpResources.of(context.getRequest()).orElse("");
        if (authentication.get() instanceof ApiTokenAuthentication token && token.servers() != null) {
            return reaches(token.servers(), endpoint) ? byScope : new Refused(token.servers());
        }
        boolean wholeCatalog = endpoint.equals("/mcp") || endpoint.equals("/sse");
        return !wholeCatalog || everything(authentication.get()) ? byScope : new WholeCatalogRefused();
    }

    /** Whether the caller is held to no team: the admin scope, or {@link UserRights#accessOf} says so. */
    private boolean everything(Authentication caller) {
        if (caller.getAuthorities().stream().anyMatch(a -> Scope.ADMIN.authority().equals(a.getAuthority()))) {
            return true;
        }
        try {
            return rights.accessOf(caller.getName()).everything();
        } catch (DisabledUserException e) {
            return false;
        }
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
