package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogRepository;
import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.PromptRepository;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.catalog.VirtualServerRepository;
import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import java.util.List;

/**
 * The enabled members of one virtual server, served at /servers/{id}/mcp, but for those of disabled or unreachable
 * upstreams; tools go by their display name.
 */
record ServerCatalog(VirtualServer server, VirtualServerRepository servers, ToolRepository toolRepository,
                     ResourceRepository resourceRepository, PromptRepository promptRepository,
                     UpstreamHealthRepository health) implements CatalogView {

    @Override
    public String endpoint() {
        return "/servers/" + server.id() + "/mcp";
    }

    @Override
    public String serverId() {
        return server.id().toString();
    }

    @Override
    public String instructions() {
        return server.description();
    }

    @Override
    public List<Tool> tools() {
        return WholeCatalog.available(members(MemberKind.TOOLS, toolRepository), Tool::gatewayId, health);
    }

    @Override
    public String toolName(Tool tool) {
        return tool.displayName();
    }

    @Override
    public List<Resource> resources() {
        return WholeCatalog.available(members(MemberKind.RESOURCES, resourceRepository), Resource::gatewayId, health);
    }

    @Override
    public List<Prompt> prompts() {
        return WholeCatalog.available(members(MemberKind.PROMPTS, promptRepository), Prompt::gatewayId, health);
    }

    @Override
    public CatalogView includingUnavailable() {
        return new ServerCatalog(server, servers, toolRepository, resourceRepository, promptRepository, null);
    }

    private <T extends CatalogEntry> List<T> members(MemberKind kind, CatalogRepository<T> repository) {
        return repository.findAll(servers.memberIds(server.id(), kind)).stream()
                .filter(CatalogEntry::enabled).toList();
    }
}
