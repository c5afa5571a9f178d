package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogCache;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.policy.PolicyDocument;
import dev.switchboard.policy.PolicyValues;
import dev.switchboard.security.Caller;
import dev.switchboard.security.Scope;
import dev.switchboard.security.TeamAccess;
import dev.switchboard.security.UserRights;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Finds what an MCP endpoint serves: the whole catalog, or one enabled virtual server, for a caller who may use it
 * ({@link VirtualServer#usableBy}). A server the caller may not use is as absent as an unknown one, on every request
 * of a session too, so a change of membership or visibility takes effect on the next one.
 */
@Component
class CatalogViews {

    private final CatalogCache cache;
    private final UserRights rights;

    CatalogViews(CatalogCache cache, UserRights rights) {
        this.cache = cache;
        this.rights = rights;
    }

    /** What an endpoint serves now, whoever asks: for the metadata every client may read. */
    Optional<CatalogView> of(String serverId) {
        return of(cache.current(), serverId);
    }

    /**
     * What an endpoint serves now to {@code caller}: the whole catalog for a null id (to a caller held to no team),
     * else an enabled virtual server's members (to a caller who may use it).
     */
    Optional<CatalogView> usableBy(String serverId, Principal caller) {
        Map<String, Object> claims = caller instanceof JwtAuthenticationToken jwt ? jwt.getToken().getClaims()
                : Map.of();
        return usableBy(serverId, caller instanceof Authentication auth ? Caller.of(auth)
                : new Caller(caller == null ? null : caller.getName(), Set.of(), null), claims);
    }

    Optional<CatalogView> usableBy(String serverId, Caller caller) {
        return usableBy(serverId, caller, Map.of());
    }

    private Optional<CatalogView> usableBy(String serverId, Caller caller, Map<String, Object> claims) {
        TeamAccess access = rights.accessOf(caller);
        return of(cache.current(), serverId, access).map(view -> policed(view, caller, access, claims));
    }

    /** A server with a policy, as this caller sees it under that policy; anything else as it is. */
    private CatalogView policed(CatalogView view, Caller caller, TeamAccess access, Map<String, Object> claims) {
        if (!(view instanceof ServerCatalog server) || server.server().policy() == null) {
            return view;
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("sub", caller.subject() == null ? "" : caller.subject());
        seen.put("teams", access.names());
        seen.put("scopes", caller.scopes().stream().map(Scope::value).sorted().toList());
        seen.put("claims", PolicyValues.of(claims));
        return new PolicedCatalog(view, PolicyDocument.compiled(server.server().policy()), seen);
    }

    /** What an endpoint served in {@code snapshot}; a disabled server is as absent as an unknown one. */
    static Optional<CatalogView> of(CatalogSnapshot snapshot, String serverId) {
        return of(snapshot, serverId, TeamAccess.EVERYTHING);
    }

    private static Optional<CatalogView> of(CatalogSnapshot snapshot, String serverId, TeamAccess access) {
        if (serverId == null) {
            return access.everything() ? Optional.of(new WholeCatalog(snapshot, false)) : Optional.empty();
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(serverId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return snapshot.server(uuid).filter(VirtualServer::enabled).filter(s -> s.usableBy(access))
                .map(s -> new ServerCatalog(s, snapshot, false));
    }
}
