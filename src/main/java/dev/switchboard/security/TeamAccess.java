package dev.switchboard.security;

import java.util.Set;
import java.util.UUID;

/**
 * The teams whose virtual servers a caller may use: every team ({@link #EVERYTHING}), for a platform administrator,
 * a credential with the {@code admin} scope, and a credential whose subject is no user of this gateway (a service's
 * JWT, held only to its scopes); else the teams the user is a member of, in any role.
 */
public record TeamAccess(boolean everything, Set<UUID> teams, java.util.List<String> names) {

    /** The team that owns what existed before teams, and what is created without naming one. */
    public static final UUID DEFAULT_TEAM = UUID.fromString("00000000-0000-0000-0000-000000000001");
    public static final String DEFAULT_TEAM_NAME = "default";

    public static final TeamAccess EVERYTHING = new TeamAccess(true, Set.of(), java.util.List.of());

    /**
     * @param teams the ids of the teams the caller is a member of (all that counts when not {@code everything})
     * @param names their names, sorted, which per-tool policies see as {@code caller.teams}
     */
    public TeamAccess {
        teams = Set.copyOf(teams);
        names = java.util.List.copyOf(names);
    }

    public static TeamAccess memberOf(java.util.Map<UUID, String> teams) {
        return new TeamAccess(false, teams.keySet(), teams.values().stream().sorted().toList());
    }

    /** A caller held to no team who is a member of {@code teams} too (a platform administrator). */
    public static TeamAccess everythingAndMemberOf(java.util.Map<UUID, String> teams) {
        return new TeamAccess(true, teams.keySet(), teams.values().stream().sorted().toList());
    }

    /** Whether the caller belongs to one of {@code teams}, or is held to none. */
    public boolean reachesAny(Set<UUID> teams) {
        if (everything) {
            return true;
        }
        for (UUID team : teams) {
            if (this.teams.contains(team)) {
                return true;
            }
        }
        return false;
    }
}
