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
import java.util.ArrayList;
import java.util.List;

/** Every enabled entry of the catalog, served at /mcp; tools go by their unique name, which is slug-qualified. */
record WholeCatalog(ToolRepository toolRepository, ResourceRepository resourceRepository, PromptRepository promptRepository)
        implements CatalogView {

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
        return enabled(toolRepository);
    }

    @Override
    public String toolName(Tool tool) {
        return tool.name();
    }

    @Override
    public List<Resource> resources() {
        return enabled(resourceRepository);
    }

    @Override
    public List<Prompt> prompts() {
        return enabled(promptRepository);
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
}
