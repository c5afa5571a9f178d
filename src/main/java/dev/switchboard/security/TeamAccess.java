package dev.switchboard.security;

import java.util.Set;
import java.util.UUID;

/**
 * The teams whose virtual servers a caller may use: every team ({@link #EVERYTHING}), for a platform administrator,
 * a credential with the {@code admin} scope, and a credential whose subject is no user of this gateway (a service's
 * JWT, held only to its scopes); else the teams the user is a member of, in any role.
 */
public record TeamAccess(boolean everything, Set<UUID> teams) {

    /** The team that owns what existed before teams, and what is created without naming one. */
    public static final UUID DEFAULT_TEAM = UUID.fromString("00000000-0000-0000-0000-000000000001");
    public static final String DEFAULT_TEAM_NAME = "default";

    public static final TeamAccess EVERYTHING = new TeamAccess(true, Set.of());

    public TeamAccess {
        teams = Set.copyOf(teams);
    }

    public static TeamAccess memberOf(Set<UUID> teams) {
        return new TeamAccess(false, teams);
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
