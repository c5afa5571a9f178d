package dev.switchboard.users;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A user's membership of a team.
 *
 * @param source {@code manual} when made through /v1/teams, {@code provider} when the provider's group claim made it
 */
public record TeamMember(UUID teamId, UUID userId, String username, Role role, String source, Instant addedAt) {

    public static final String MANUAL = "manual";
    public static final String PROVIDER = "provider";

    /** What a member may do with the team's entries; each role may do what the ones before it may. */
    public enum Role {
        /** Reads the team's entries. */
        VIEWER,
        /** Also manages the team's upstreams, tools, resources, prompts and virtual servers. */
        EDITOR,
        /** Also manages the team's members. */
        OWNER;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Role> parse(String value) {
            for (Role role : values()) {
                if (role.value().equals(value)) {
                    return Optional.of(role);
                }
            }
            return Optional.empty();
        }

        /** Whether this role may do what {@code needed} may. */
        public boolean atLeast(Role needed) {
            return compareTo(needed) >= 0;
        }
    }
}
