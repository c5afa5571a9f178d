package dev.switchboard.catalog;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An upstream MCP server whose tools, resources and prompts are federated into the catalog.
 *
 * @param url        for HTTP transports; null for stdio
 * @param command    for stdio: a JSON document with the command, its arguments and environment
 * @param authSecret the upstream credential, encrypted; never shown in the API
 * @param options    transport options as an opaque JSON document
 * @param reachable  what the health checks last concluded; set on create, then written only by
 *                   {@link UpstreamHealthRepository} (updates leave it, and {@code lastSeenAt}, alone)
 */
public record UpstreamGateway(UUID id, String name, String slug, String description, Transport transport, String url,
                              String command, AuthType authType, String authSecret, String options,
                              String protocolVersion, boolean enabled, boolean reachable, Instant lastSeenAt,
                              Set<String> tags, Instant createdAt, Instant updatedAt, long version)
        implements CatalogEntry {

    public UpstreamGateway {
        tags = Tags.normalized(tags);
    }

    /** The same upstream with another stored credential ciphertext (or none). */
    public UpstreamGateway withAuthSecret(String secret) {
        return new UpstreamGateway(id, name, slug, description, transport, url, command, authType, secret, options,
                protocolVersion, enabled, reachable, lastSeenAt, tags, createdAt, updatedAt, version);
    }
}
