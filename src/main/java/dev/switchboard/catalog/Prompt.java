package dev.switchboard.catalog;

import dev.switchboard.security.TeamAccess;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A prompt: a template hosted by the registry, or a prompt of an upstream MCP server.
 *
 * @param name         unique across the registry; federated prompts carry their upstream's slug
 * @param originalName the upstream's own name for a federated prompt, null for the registry's own
 * @param displayName  the name under which virtual servers present the prompt
 * @param arguments    the named arguments, in the order they are presented
 */
public record Prompt(UUID id, UUID gatewayId, String name, String originalName, String displayName, String title,
                     String description,
                     String template, List<PromptArgument> arguments, boolean enabled, Set<String> tags,
                     UUID teamId, Instant createdAt, Instant updatedAt, long version) implements CatalogEntry {

    public Prompt {
        tags = Tags.normalized(tags);
        teamId = teamId == null ? TeamAccess.DEFAULT_TEAM : teamId;
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }

    /** One named argument of a prompt. */
    public record PromptArgument(String name, String description, boolean required) {
    }
}
