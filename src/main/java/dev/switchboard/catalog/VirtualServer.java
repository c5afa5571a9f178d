package dev.switchboard.catalog;

import dev.switchboard.security.TeamAccess;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A composition of catalog entries served to MCP clients as if it were one MCP server.
 *
 * @param instructions what the operator tells clients' models about this server (initialize's {@code instructions});
 *                     null: the upstream's own when the server fronts exactly one, else the description
 * @param teamId       the team that owns it; null means {@link TeamAccess#DEFAULT_TEAM}
 * @param visibility   who may use it over MCP; null means {@link Visibility#PUBLIC}
 * @param sharedWith   the other teams whose members may use it, when it is {@link Visibility#SHARED}
 * @param policy       its per-tool rules in CEL, as the JSON array the API shows; null for none
 */
public record VirtualServer(UUID id, String name, String description, String instructions, String iconUrl,
                            boolean enabled, Set<String> tags, UUID teamId, Visibility visibility,
                            Set<UUID> sharedWith, String policy, Instant createdAt, Instant updatedAt, long version)
        implements CatalogEntry {

    public VirtualServer {
        tags = Tags.normalized(tags);
        teamId = teamId == null ? TeamAccess.DEFAULT_TEAM : teamId;
        visibility = visibility == null ? Visibility.PUBLIC : visibility;
        sharedWith = sharedWith == null || visibility != Visibility.SHARED ? Set.of() : Set.copyOf(sharedWith);
    }

    /** Whether a caller with {@code access} may use this server over MCP. */
    public boolean usableBy(TeamAccess access) {
        return switch (visibility) {
            case PUBLIC -> true;
            case PRIVATE -> access.reachesAny(Set.of(teamId));
            case SHARED -> {
                Set<UUID> teams = new HashSet<>(sharedWith);
                teams.add(teamId);
                yield access.reachesAny(teams);
            }
        };
    }

    /** This server with another owner and audience, the rest unchanged. */
    public VirtualServer withAccess(UUID team, Visibility newVisibility, Set<UUID> teams) {
        return new VirtualServer(id, name, description, instructions, iconUrl, enabled, tags, team, newVisibility,
                teams, policy, createdAt, updatedAt, version);
    }

    /** This server with another policy (null for none), the rest unchanged. */
    public VirtualServer withPolicy(String newPolicy) {
        return new VirtualServer(id, name, description, instructions, iconUrl, enabled, tags, teamId, visibility,
                sharedWith, newPolicy, createdAt, updatedAt, version);
    }
}
