package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.Tool;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every enabled entry of the catalog, served at /mcp, but for those of disabled or unreachable upstreams (unless
 * {@code withUnavailable}); tools and prompts go by their unique names, which are slug-qualified.
 */
record WholeCatalog(CatalogSnapshot snapshot, boolean withUnavailable) implements CatalogView {

    @Override
    public String endpoint() {
        return "/mcp";
    }

    @Override
    public String serverId() {
        return null;
    }

    @Override
    public String instructions() {
        return null;
    }

    @Override
    public List<Tool> tools() {
        return withUnavailable ? snapshot.tools() : snapshot.available(snapshot.tools(), Tool::gatewayId);
    }

    @Override
    public String toolName(Tool tool) {
        return tool.name();
    }

    /** By its unique name, from an index: a call must not scan the catalog. */
    @Override
    public Optional<Tool> tool(String name) {
        return snapshot.tool(name);
    }

    /** One resource per URI, by the rule of {@link SharedUris}, among the available upstreams' (unless all). */
    @Override
    public List<Resource> resources() {
        return SharedUris.oneEach(withUnavailable ? snapshot.resources()
                : snapshot.available(snapshot.resources(), Resource::gatewayId), snapshot);
    }

    @Override
    public List<Prompt> prompts() {
        return withUnavailable ? snapshot.prompts() : snapshot.available(snapshot.prompts(), Prompt::gatewayId);
    }

    @Override
    public String promptName(Prompt prompt) {
        return prompt.name();
    }

    @Override
    public Optional<ObjectNode> upstreamPresentation(UUID entry) {
        return snapshot.upstreamPresentation(entry);
    }

    @Override
    public CatalogView includingUnavailable() {
        return new WholeCatalog(snapshot, true);
    }
}
