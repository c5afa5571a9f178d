package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogRepository;
import dev.switchboard.catalog.ListQuery;
import dev.switchboard.catalog.Page;
import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.PromptRepository;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.catalog.UpstreamHealthRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every enabled entry of the catalog, served at /mcp, but for those of disabled or unreachable upstreams; tools go
 * by their unique name, which is slug-qualified.
 */
record WholeCatalog(ToolRepository toolRepository, ResourceRepository resourceRepository, PromptRepository promptRepository,
                    UpstreamHealthRepository health) implements CatalogView {

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
        return available(enabled(toolRepository), Tool::gatewayId, health);
    }

    @Override
    public String toolName(Tool tool) {
        return tool.name();
    }

    /** By its unique name, in one query: reading the whole catalog for every call was the call path's main cost. */
    @Override
    public Optional<Tool> tool(String name) {
        return toolRepository.findByName(name).filter(Tool::enabled);
    }

    @Override
    public List<Resource> resources() {
        return available(enabled(resourceRepository), Resource::gatewayId, health);
    }

    @Override
    public List<Prompt> prompts() {
        return available(enabled(promptRepository), Prompt::gatewayId, health);
    }

    @Override
    public CatalogView includingUnavailable() {
        return new WholeCatalog(toolRepository, resourceRepository, promptRepository, null);
    }

    private static <T extends CatalogEntry> List<T> enabled(CatalogRepository<T> repository) {
        List<T> all = new ArrayList<>();
        ListQuery query = ListQuery.first(ListQuery.MAX_LIMIT).withEnabled(true);
        Page<T> page;
        do {
            page = repository.list(query);
            all.addAll(page.items());
            query = query.after(page.nextCursor());
        } while (page.nextCursor() != null);
        return all;
    }

    /**
     * {@code entries} without those of upstreams that are disabled or unreachable: one query for the whole list.
     * Without {@code health} (a view that includes them), all of them.
     */
    static <T> List<T> available(List<T> entries, Function<T, UUID> gateway, UpstreamHealthRepository health) {
        if (health == null || entries.stream().allMatch(e -> gateway.apply(e) == null)) {
            return entries;
        }
        Set<UUID> unavailable = health.unavailableGateways();
        return unavailable.isEmpty() ? entries
                : entries.stream().filter(e -> !unavailable.contains(gateway.apply(e))).toList();
    }
}
