package dev.switchboard.catalog;

import dev.switchboard.security.TeamAccess;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An upstream MCP server whose tools, resources and prompts are federated into the catalog.
 *
 * @param url        for HTTP transports; null for stdio
 * @param command    for stdio: a JSON document with the command, its arguments and the names of its environment
 *                   variables ({@code {"command": "...", "args": [...], "env": ["API_KEY"]}}); never their values
 * @param commandSecret for stdio: the environment's values, sealed by {@link Credentials#sealEnvironment}; null
 *                   when there are none. Never shown in the API
 * @param authSecret the upstream credential, encrypted; never shown in the API
 * @param options    transport options as an opaque JSON document
 * @param reachable  what the health checks last concluded; set on create, then written only by
 *                   {@link UpstreamHealthRepository} (updates leave it, and {@code lastSeenAt}, alone)
 * @param teamId     the team that owns it, and the entries discovery finds on it; null means
 *                   {@link TeamAccess#DEFAULT_TEAM}
 * @param instructions the {@code instructions} of the upstream's last initialize result, stored by discovery
 *                     ({@link CatalogSync}); updates leave it alone
 */
public record UpstreamGateway(UUID id, String name, String slug, String description, Transport transport, String url,
                              String command, String commandSecret, AuthType authType, String authSecret,
                              String options,
                              String protocolVersion, boolean enabled, boolean reachable, Instant lastSeenAt,
                              Set<String> tags, UUID teamId, Instant createdAt, Instant updatedAt, long version,
                              String instructions)
        implements CatalogEntry {

    public UpstreamGateway {
        tags = Tags.normalized(tags);
        teamId = teamId == null ? TeamAccess.DEFAULT_TEAM : teamId;
    }

    /** An upstream as an operator describes it: discovery has not told its instructions yet. */
    public UpstreamGateway(UUID id, String name, String slug, String description, Transport transport, String url,
                           String command, String commandSecret, AuthType authType, String authSecret,
                           String options, String protocolVersion, boolean enabled, boolean reachable,
                           Instant lastSeenAt, Set<String> tags, UUID teamId, Instant createdAt, Instant updatedAt,
                           long version) {
        this(id, name, slug, description, transport, url, command, commandSecret, authType, authSecret, options,
                protocolVersion, enabled, reachable, lastSeenAt, tags, teamId, createdAt, updatedAt, version, null);
    }

    /** The same upstream with another stored credential ciphertext (or none). */
    public UpstreamGateway withAuthSecret(String secret) {
        return new UpstreamGateway(id, name, slug, description, transport, url, command, commandSecret, authType,
                secret, options, protocolVersion, enabled, reachable, lastSeenAt, tags, teamId, createdAt, updatedAt,
                version,
                instructions);
    }

    /** The same upstream with another sealed stdio environment (or none). */
    public UpstreamGateway withCommandSecret(String sealed) {
        return new UpstreamGateway(id, name, slug, description, transport, url, command, sealed, authType,
                authSecret, options, protocolVersion, enabled, reachable, lastSeenAt, tags, teamId, createdAt,
                updatedAt, version, instructions);
    }

    /** The same upstream with another command document and sealed environment. */
    public UpstreamGateway withCommand(String document, String sealed) {
        return new UpstreamGateway(id, name, slug, description, transport, url, document, sealed, authType,
                authSecret, options, protocolVersion, enabled, reachable, lastSeenAt, tags, teamId, createdAt,
                updatedAt, version, instructions);
    }
}
