package dev.switchboard.security;

import java.util.Optional;
import java.util.Set;

/**
 * The rights of the gateway's users, as they are now: a credential whose subject is a user carries at most that
 * user's scopes, whatever it was issued with, and nothing once the user is disabled. Implemented by the users
 * package, whose changes take effect on the next request on the replica that made them and within
 * {@link #REMEMBERED} on the others.
 */
public interface UserRights {

    /** How long a replica trusts the rights it read, as long as a verified JWT or an API token is remembered. */
    java.time.Duration REMEMBERED = JwtVerification.REMEMBERED;

    /**
     * The scopes {@code subject} may hold now; empty when {@code subject} is no user of this gateway (a service's
     * JWT, say), whose credential's own scopes stand.
     *
     * @throws DisabledUserException when the user is disabled
     */
    Optional<Set<Scope>> scopesOf(String subject);

    /**
     * The teams whose virtual servers {@code subject} may use: {@link TeamAccess#EVERYTHING} for the built-in
     * administrator, a platform administrator and a subject that is no user; a user's memberships otherwise.
     *
     * @throws DisabledUserException when the user is disabled
     */
    default TeamAccess accessOf(String subject) {
        return TeamAccess.EVERYTHING;
    }

    /**
     * What {@code caller} reaches: {@link #accessOf(String)} for its subject, everything with the {@code admin}
     * scope, and no team for a disabled user.
     */
    default TeamAccess accessOf(Caller caller) {
        TeamAccess access;
        try {
            access = accessOf(caller.subject());
        } catch (DisabledUserException e) {
            access = TeamAccess.NOTHING;
        }
        return caller.isAdmin() && !access.everything() ? access.withEverything() : access;
    }

    /** What the credential of a request reaches: {@link #accessOf(Caller)}; no team for a request without one. */
    default TeamAccess accessOf(org.springframework.security.core.Authentication authentication) {
        return authentication == null ? TeamAccess.NOTHING : accessOf(Caller.of(authentication));
    }

    /** The names of the teams {@code subject} is a member of, for the {@code groups} claim of ID tokens. */
    default java.util.List<String> teamsOf(String subject) {
        return java.util.List.of();
    }
}
