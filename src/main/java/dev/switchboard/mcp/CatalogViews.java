package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogCache;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.VirtualServer;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Finds what an MCP endpoint serves: the whole catalog, or one enabled virtual server. */
@Component
class CatalogViews {

    private final CatalogCache cache;

    CatalogViews(CatalogCache cache) {
        this.cache = cache;
    }

    /** What an endpoint serves now: the whole catalog for a null id, else an enabled virtual server's members. */
    Optional<CatalogView> of(String serverId) {
        return of(cache.current(), serverId);
    }

    /** What an endpoint served in {@code snapshot}; a disabled server is as absent as an unknown one. */
    static Optional<CatalogView> of(CatalogSnapshot snapshot, String serverId) {
        if (serverId == null) {
            return Optional.of(new WholeCatalog(snapshot, false));
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(serverId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return snapshot.server(uuid).filter(VirtualServer::enabled)
                .map(s -> new ServerCatalog(s, snapshot, false));
    }
}
