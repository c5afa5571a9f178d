package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.Tool;
import java.util.List;
import java.util.Optional;

/**
 * Every enabled entry of the catalog, served at /mcp, but for those of disabled or unreachable upstreams (unless
 * {@code withUnavailable}); tools go by their unique name, which is slug-qualified.
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

    @Override
    public List<Resource> resources() {
        return withUnavailable ? snapshot.resources() : snapshot.available(snapshot.resources(), Resource::gatewayId);
    }

    @Override
    public List<Prompt> prompts() {
        return withUnavailable ? snapshot.prompts() : snapshot.available(snapshot.prompts(), Prompt::gatewayId);
    }

    @Override
    public CatalogView includingUnavailable() {
        return new WholeCatalog(snapshot, true);
    }
}
