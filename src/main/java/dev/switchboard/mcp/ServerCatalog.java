package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * The enabled members of one virtual server, served at /servers/{id}/mcp, but for those of disabled or unreachable
 * upstreams (unless {@code withUnavailable}); tools and prompts go by their display names, which are unique within
 * the server.
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

    /**
     * The operator's instructions; else, when every member comes from one upstream, that upstream's own (so the
     * server reads to a client as the upstream would); else the description.
     */
    @Override
    public String instructions() {
        if (server.instructions() != null) {
            return server.instructions();
        }
        return soleUpstream().flatMap(snapshot::gateway).map(UpstreamGateway::instructions)
                .orElse(server.description());
    }

    /** The one upstream all members come from (whether reachable or not), if there is exactly one. */
    private Optional<UUID> soleUpstream() {
        ServerCatalog all = new ServerCatalog(server, snapshot, true);
        Set<UUID> upstreams = new HashSet<>();
        Stream.of(all.tools().stream().map(Tool::gatewayId), all.resources().stream().map(Resource::gatewayId),
                all.prompts().stream().map(Prompt::gatewayId)).flatMap(s -> s).forEach(upstreams::add);
        return upstreams.size() == 1 && !upstreams.contains(null) ? Optional.of(upstreams.iterator().next())
                : Optional.empty();
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
    public String promptName(Prompt prompt) {
        return prompt.displayName();
    }

    @Override
    public Optional<ObjectNode> upstreamPresentation(UUID entry) {
        return snapshot.upstreamPresentation(entry);
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
