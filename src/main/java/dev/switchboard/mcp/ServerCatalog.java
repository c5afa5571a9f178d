package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The enabled members of one virtual server, served at /servers/{id}/mcp, but for those of disabled or unreachable
 * upstreams (unless {@code withUnavailable}); tools go by their display name.
 */
record ServerCatalog(VirtualServer server, CatalogSnapshot snapshot, boolean withUnavailable) implements CatalogView {

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
        return members(MemberKind.TOOLS, snapshot.tools(), Tool::gatewayId);
    }

    @Override
    public String toolName(Tool tool) {
        return tool.displayName();
    }

    @Override
    public List<Resource> resources() {
        return members(MemberKind.RESOURCES, snapshot.resources(), Resource::gatewayId);
    }

    @Override
    public List<Prompt> prompts() {
        return members(MemberKind.PROMPTS, snapshot.prompts(), Prompt::gatewayId);
    }

    @Override
    public CatalogView includingUnavailable() {
        return new ServerCatalog(server, snapshot, true);
    }

    private <T extends CatalogEntry> List<T> members(MemberKind kind, List<T> enabled, Function<T, UUID> gateway) {
        Set<UUID> ids = snapshot.members(server.id(), kind);
        List<T> members = enabled.stream().filter(e -> ids.contains(e.id())).toList();
        return withUnavailable ? members : snapshot.available(members, gateway);
    }
}
