package dev.switchboard.catalog;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A composition of catalog entries served to MCP clients as if it were one MCP server.
 *
 * @param instructions what the operator tells clients' models about this server (initialize's {@code instructions});
 *                     null: the upstream's own when the server fronts exactly one, else the description
 */
public record VirtualServer(UUID id, String name, String description, String instructions, String iconUrl,
                            boolean enabled, Set<String> tags, Instant createdAt, Instant updatedAt, long version)
        implements CatalogEntry {

    public VirtualServer {
        tags = Tags.normalized(tags);
    }
}
