package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogRepository;
import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.PromptRepository;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.catalog.VirtualServerRepository;
import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import java.util.List;

/** The enabled members of one virtual server, served at /servers/{id}/mcp; tools go by their display name. */
record ServerCatalog(VirtualServer server, VirtualServerRepository servers, ToolRepository toolRepository,
                     ResourceRepository resourceRepository, PromptRepository promptRepository) implements CatalogView {

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
        return members(MemberKind.TOOLS, toolRepository);
    }

    @Override
    public String toolName(Tool tool) {
        return tool.displayName();
    }

    @Override
    public List<Resource> resources() {
        return members(MemberKind.RESOURCES, resourceRepository);
    }

    @Override
    public List<Prompt> prompts() {
        return members(MemberKind.PROMPTS, promptRepository);
    }

    private <T extends CatalogEntry> List<T> members(MemberKind kind, CatalogRepository<T> repository) {
        return repository.findAll(servers.memberIds(server.id(), kind)).stream()
                .filter(CatalogEntry::enabled).toList();
    }
}
