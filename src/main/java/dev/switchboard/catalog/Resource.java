package dev.switchboard.catalog;

import dev.switchboard.security.TeamAccess;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A resource: a fixed URI whose content the registry holds (text or binary), or an RFC 6570 URI template.
 *
 * @param gatewayId the upstream for federated resources, null for hosted ones
 * @param template  true when {@code uri} is a URI template
 */
public record Resource(UUID id, UUID gatewayId, String uri, boolean template, String name, String title,
                       String description, String mimeType, Long sizeBytes, String textContent,
                       byte[] binaryContent, String annotations, boolean enabled, Set<String> tags,
                       UUID teamId, Instant createdAt, Instant updatedAt, long version) implements CatalogEntry {

    public Resource {
        tags = Tags.normalized(tags);
        teamId = teamId == null ? TeamAccess.DEFAULT_TEAM : teamId;
        binaryContent = binaryContent == null ? null : binaryContent.clone();
    }

    @Override
    public byte[] binaryContent() {
        return binaryContent == null ? null : binaryContent.clone();
    }
}
