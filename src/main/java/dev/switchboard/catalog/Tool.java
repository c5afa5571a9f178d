package dev.switchboard.catalog;

import dev.switchboard.security.TeamAccess;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A tool in the catalog: a REST call that Switchboard makes itself, or a tool of an upstream MCP server.
 *
 * @param gatewayId       the upstream for federated tools, null for REST tools
 * @param name            unique across the registry; federated tools carry their upstream's slug
 * @param originalName    the upstream's own name for a federated tool, null for REST tools
 * @param displayName     the name under which virtual servers present the tool
 * @param inputSchema     JSON Schema of the arguments, as a JSON document
 * @param requestTemplate for REST tools: method, URL template, mappings, body and timeout, as a JSON document
 * @param authSecret      encrypted; never shown in the API
 */
public record Tool(UUID id, UUID gatewayId, String name, String originalName, String displayName,
                   IntegrationType integrationType, String description, String inputSchema, String outputSchema,
                   String annotations, String requestTemplate, AuthType authType, String authSecret,
                   boolean enabled, Set<String> tags, UUID teamId, Instant createdAt, Instant updatedAt,
                   long version)
        implements CatalogEntry {

    public Tool {
        tags = Tags.normalized(tags);
        teamId = teamId == null ? TeamAccess.DEFAULT_TEAM : teamId;
    }

    /** The same tool with another stored credential ciphertext (or none). */
    public Tool withAuthSecret(String secret) {
        return new Tool(id, gatewayId, name, originalName, displayName, integrationType, description, inputSchema,
                outputSchema, annotations, requestTemplate, authType, secret, enabled, tags, teamId, createdAt, updatedAt,
                version);
    }
}
