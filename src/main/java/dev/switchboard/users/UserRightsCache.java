package dev.switchboard.users;

import dev.switchboard.persistence.DataAccessFailure;
import dev.switchboard.security.AdminPassword;
import dev.switchboard.security.DisabledUserException;
import dev.switchboard.security.Scope;
import dev.switchboard.security.TeamAccess;
import dev.switchboard.security.UserRights;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@link UserRights} from the users table, remembered per username for {@link UserRights#REMEMBERED}: a request
 * reads the database for its user at most once in that time. A change made here is forgotten at once; one made on
 * another replica is seen when the remembered answer runs out; the user's teams are remembered with it. While the database cannot be read, the last answer
 * stands, and a subject never read keeps its credential's scopes.
 */
@Component
class UserRightsCache implements UserRights {

    /** Subjects remembered at most; past it, all are forgotten at once. */
    static final int MAX_REMEMBERED = 10_000;
    private static final Logger log = LoggerFactory.getLogger(UserRightsCache.class);

    /** What the tables said of a subject: no row (null user), or the user, its teams and those it edits. */
    private record Remembered(User user, Map<UUID, String> teams, Set<UUID> editable, Instant until) {
    }

    private final UserRepository repository;
    private final TeamRepository teams;
    private final String adminUser;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    UserRightsCache(UserRepository repository, TeamRepository teams, AdminPassword admin) {
        this.repository = repository;
        this.teams = teams;
        this.adminUser = admin.user();
    }

    @Override
    public Optional<Set<Scope>> scopesOf(String subject) {
        if (subject == null) {
            return Optional.empty();
        }
        if (subject.equals(adminUser)) {
            return Optional.of(EnumSet.allOf(Scope.class));
        }
        User user = remembered(subject).user();
        if (user == null) {
            return Optional.empty();
        }
        if (!user.enabled()) {
            throw new DisabledUserException(subject);
        }
        return Optional.of(user.scopes());
    }

    @Override
    public TeamAccess accessOf(String subject) {
        if (subject == null || subject.equals(adminUser)) {
            return TeamAccess.EVERYTHING;
        }
        Remembered known = remembered(subject);
        if (known.user() == null) {
            return TeamAccess.EVERYTHING;
        }
        if (!known.user().enabled()) {
            throw new DisabledUserException(subject);
        }
        return known.user().platformAdmin() ? TeamAccess.everythingAndMemberOf(known.teams(), known.editable())
                : TeamAccess.memberOf(known.teams(), known.editable());
    }

    /** Read when an ID token is issued, not remembered: sign-ins are rare next to requests. */
    @Override
    public java.util.List<String> teamsOf(String subject) {
        return repository.findByUsername(subject)
                .map(u -> teams.membershipsOf(u.user().id()).stream().map(TeamMember::teamId)
                        .map(teams::find).flatMap(Optional::stream).map(Team::name).sorted().toList())
                .orElse(java.util.List.of());
    }

    /** Forgets what was read of {@code username}, after a change on this replica. */
    void forget(String username) {
        remembered.remove(username);
    }

    /** Forgets everything read, after a change that touches many users (a team's deletion). */
    void forgetAll() {
        remembered.clear();
    }

    private Remembered remembered(String subject) {
        Instant now = Instant.now();
        Remembered known = remembered.get(subject);
        if (known != null && now.isBefore(known.until())) {
            return known;
        }
        User user;
        Map<UUID, String> teamIds;
        Set<UUID> edited;
        try {
            user = repository.findByUsername(subject).map(UserRepository.WithPassword::user).orElse(null);
            teamIds = user == null ? Map.of() : Map.copyOf(teams.teamsOf(user.id()));
            edited = user == null ? Set.of() : Set.copyOf(teams.editedBy(user.id()));
        } catch (DataAccessFailure e) {
            // Remembered again, so that requests do not each wait for a database that is away.
            log.debug("Could not read user {}: {}; using what was known", subject, e.getMessage());
            user = known == null ? null : known.user();
            teamIds = known == null ? Map.of() : known.teams();
            edited = known == null ? Set.of() : known.editable();
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        Remembered read = new Remembered(user, teamIds, edited, now.plus(REMEMBERED));
        remembered.put(subject, read);
        return read;
    }
}
