package dev.switchboard.security;

import java.util.Set;
import java.util.UUID;

/**
 * The teams whose entries a caller sees and whose virtual servers they may use, and those whose entries they may
 * change: every team ({@link #EVERYTHING}), for a platform administrator, a credential with the {@code admin} scope,
 * and a credential whose subject is no user of this gateway (a service's JWT, held only to its scopes); else the
 * teams the user is a member of, in any role, and those where they are an editor or an owner.
 */
public record TeamAccess(boolean everything, Set<UUID> teams, Set<UUID> editable, java.util.List<String> names) {

    /** The team that owns what existed before teams, and what is created without naming one. */
    public static final UUID DEFAULT_TEAM = UUID.fromString("00000000-0000-0000-0000-000000000001");
    public static final String DEFAULT_TEAM_NAME = "default";

    public static final TeamAccess EVERYTHING = new TeamAccess(true, Set.of(), Set.of(), java.util.List.of());

    /** A caller who is a member of no team: they see public virtual servers, and nothing else of the catalog. */
    public static final TeamAccess NOTHING = new TeamAccess(false, Set.of(), Set.of(), java.util.List.of());

    /**
     * @param teams    the ids of the teams the caller is a member of (all that counts when not {@code everything})
     * @param editable those among {@code teams} where the caller is an editor or an owner
     * @param names    the names of {@code teams}, sorted, which per-tool policies see as {@code caller.teams}
     */
    public TeamAccess {
        teams = Set.copyOf(teams);
        editable = Set.copyOf(editable);
        names = java.util.List.copyOf(names);
    }

    /** A member of {@code teams} (ids and names), an editor or an owner of those in {@code editable}. */
    public static TeamAccess memberOf(java.util.Map<UUID, String> teams, Set<UUID> editable) {
        return new TeamAccess(false, teams.keySet(), editable, teams.values().stream().sorted().toList());
    }

    /** A caller held to no team who is a member of {@code teams} too (a platform administrator). */
    public static TeamAccess everythingAndMemberOf(java.util.Map<UUID, String> teams, Set<UUID> editable) {
        return new TeamAccess(true, teams.keySet(), editable, teams.values().stream().sorted().toList());
    }

    /** This access, held to no team: what a credential with the {@code admin} scope gets. */
    public TeamAccess withEverything() {
        return new TeamAccess(true, teams, editable, names);
    }

    /** Whether the caller may change the entries of {@code team}: they edit it, or are held to no team. */
    public boolean edits(UUID team) {
        return everything || editable.contains(team);
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
