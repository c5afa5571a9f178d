package dev.switchboard.catalog;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A composition of catalog entries served to MCP clients as if it were one MCP server. */
public record VirtualServer(UUID id, String name, String description, String iconUrl, boolean enabled,
                            Set<String> tags, Instant createdAt, Instant updatedAt, long version)
        implements CatalogEntry {

    public VirtualServer {
        tags = Tags.normalized(tags);
    }
}
