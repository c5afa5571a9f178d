package dev.switchboard.mcp;

import dev.switchboard.catalog.PromptRepository;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.catalog.VirtualServerRepository;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Finds what an MCP endpoint serves: the whole catalog, or one enabled virtual server. */
@Component
class CatalogViews {

    private final VirtualServerRepository servers;
    private final ToolRepository tools;
    private final ResourceRepository resources;
    private final PromptRepository prompts;
    private final UpstreamHealthRepository health;

    CatalogViews(VirtualServerRepository servers, ToolRepository tools, ResourceRepository resources,
                 PromptRepository prompts, UpstreamHealthRepository health) {
        this.health = health;
        this.servers = servers;
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
    }

    CatalogView wholeCatalog() {
        return new WholeCatalog(tools, resources, prompts, health);
    }

    /** What an endpoint serves: the whole catalog for a null id, else {@link #server}. */
    Optional<CatalogView> of(String serverId) {
        return serverId == null ? Optional.of(wholeCatalog()) : server(serverId);
    }

    /** The server with this id if it exists and is enabled; a disabled server is as absent as an unknown one. */
    Optional<CatalogView> server(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return servers.find(uuid).filter(VirtualServer::enabled)
                .map(s -> new ServerCatalog(s, servers, tools, resources, prompts, health));
    }
}
