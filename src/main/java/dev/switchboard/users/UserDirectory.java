package dev.switchboard.users;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.persistence.UniqueViolationException;
import dev.switchboard.security.AdminPassword;
import dev.switchboard.security.ApiTokenService;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's users: the built-in administrator (ADMIN_USER, the first platform administrator, configured by
 * settings and stored nowhere), local users managed here, and users of the OpenID Connect provider, created at their
 * first sign-in. Every change is recorded in the audit trail and takes effect on this replica's next request.
 */
@Service
public class UserDirectory {

    /** Spring Security's delegating encoder: bcrypt today, and the hash names its algorithm for later upgrades. */
    static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private final UserRepository repository;
    private final AuditTrail audit;
    private final UserRightsCache rights;
    private final String adminUser;
    private final ApiTokenService tokens;
    private final TeamDirectory teams;
    private final ProviderTeams providerTeams;

    UserDirectory(UserRepository repository, AuditTrail audit, UserRightsCache rights, AdminPassword admin,
                  ApiTokenService tokens, TeamDirectory teams, ProviderTeams providerTeams) {
        this.repository = repository;
        this.teams = teams;
        this.providerTeams = providerTeams;
        this.tokens = tokens;
        this.audit = audit;
        this.rights = rights;
        this.adminUser = admin.user();
    }

    /** The built-in administrator as a user: its id is derived from its name, so every replica shows the same. */
    User builtInAdministrator() {
        return new User(UUID.nameUUIDFromBytes(("builtin:" + adminUser).getBytes(StandardCharsets.UTF_8)), adminUser,
                User.Kind.BUILT_IN, adminUser, null, null, null, true, true, null, null, null);
    }

    /** A page of users, and the cursor of the next page (null on the last). */
    public record UserPage(List<User> items, String nextCursor) {
    }

    /**
     * Up to {@code limit} users: the built-in administrator first, then the others by username, from where
     * {@code cursor} (one a page returned, or null for the first) left off.
     *
     * @throws dev.switchboard.problem.InvalidQueryException for a cursor no page returned
     */
    public UserPage list(String cursor, int limit) {
        String after = cursor == null ? null : NameCursor.decode(cursor);
        List<User> page = new ArrayList<>();
        if (after == null) {
            page.add(builtInAdministrator());
        }
        int wanted = limit - page.size();
        List<User> rows = repository.list(after == null ? "" : after, wanted + 1);
        page.addAll(rows.subList(0, Math.min(wanted, rows.size())));
        // After the built-in administrator alone, the next page starts at the first stored user ("").
        String next = rows.size() > wanted
                ? NameCursor.encode(page.getLast().kind() == User.Kind.BUILT_IN ? "" : page.getLast().username())
                : null;
        return new UserPage(List.copyOf(page), next);
    }

    public Optional<User> find(UUID id) {
        User admin = builtInAdministrator();
        return admin.id().equals(id) ? Optional.of(admin) : repository.find(id);
    }

    /** Creates a local user from {@code body}. */
    public User create(JsonNode body) {
        UserRequest request = UserRequest.create(body);
        if (request.username().equalsIgnoreCase(adminUser)) {
            throw RefusedChangeException.nameTaken(request.username());
        }
        Instant now = now();
        User user = new User(UUID.randomUUID(), request.username(), User.Kind.LOCAL,
                request.displayName().orElse(null), request.email().orElse(null), null, null,
                request.enabled().orElse(true), request.platformAdmin().orElse(false), now, now, null);
        insert(user, PASSWORDS.encode(request.password().orElseThrow()));
        audit.changed("create", "user", user.id(), user.username(), null, UserView.of(user));
        return user;
    }

    /** Changes what {@code body} names; empty when there is no such user. */
    public Optional<User> update(UUID id, JsonNode body) {
        Optional<User> found = find(id);
        if (found.isEmpty()) {
            return found;
        }
        User before = found.get();
        if (before.kind() == User.Kind.BUILT_IN) {
            throw RefusedChangeException.readOnly(null, "The built-in administrator is configured by ADMIN_USER and "
                    + "ADMIN_PASSWORD, not through the API");
        }
        UserRequest request = UserRequest.update(body);
        if (request.password().isPresent() && before.kind() != User.Kind.LOCAL) {
            throw RefusedChangeException.readOnly("password", "A user of the identity provider signs in there and has "
                    + "no password here");
        }
        User after = new User(before.id(), before.username(), before.kind(),
                request.displayName().orElse(before.displayName()), request.email().orElse(before.email()),
                before.issuer(), before.subject(), request.enabled().orElse(before.enabled()),
                request.platformAdmin().orElse(before.platformAdmin()), before.createdAt(), now(),
                before.lastSignInAt());
        if (!repository.update(after, request.password().map(PASSWORDS::encode).orElse(null))) {
            return Optional.empty();
        }
        rights.forget(after.username());
        audit.changed("update", "user", after.id(), after.username(), UserView.of(before), UserView.of(after));
        return Optional.of(after);
    }

    /**
     * Deletes the user; false when there is none. Their API tokens are revoked, and the built-in authorization server
     * refreshes no token of theirs: a credential whose subject is no user would otherwise keep its own scopes.
     */
    public boolean delete(UUID id) {
        Optional<User> found = find(id);
        if (found.isEmpty()) {
            return false;
        }
        if (found.get().kind() == User.Kind.BUILT_IN) {
            throw RefusedChangeException.readOnly(null, "The built-in administrator cannot be deleted");
        }
        if (!repository.delete(id)) {
            return false;
        }
        rights.forget(found.get().username());
        audit.changed("delete", "user", id, found.get().username(), UserView.of(found.get()), null);
        tokens.revokeAllOf(found.get().username());
        return true;
    }

    /**
     * The user of the OpenID Connect provider named by {@code issuer} and {@code subject}: created at the first
     * sign-in (a member, enabled), with the name and e-mail of the claims kept current at every sign-in, and the
     * teams its {@code groups} map to ({@link ProviderTeams}).
     */
    public User signedInAtProvider(String issuer, String subject, String displayName, String email,
                                   java.util.Collection<String> groups) {
        User user = providerUser(issuer, subject, displayName, email);
        if (user.enabled()) {
            teams.syncProviderMemberships(user, groups, providerTeams);
        }
        return user;
    }

    private User providerUser(String issuer, String subject, String displayName, String email) {
        String username = issuer + "#" + subject;
        Instant now = now();
        Optional<UserRepository.WithPassword> known = repository.findByUsername(username);
        if (known.isPresent()) {
            User before = known.get().user();
            User after = new User(before.id(), before.username(), before.kind(), displayName, email, before.issuer(),
                    before.subject(), before.enabled(), before.platformAdmin(), before.createdAt(),
                    changed(before, displayName, email) ? now : before.updatedAt(), now);
            if (before.enabled()) {
                repository.update(after, null);
                repository.recordSignIn(after.id(), now);
            }
            return after;
        }
        User created = new User(UUID.randomUUID(), username, User.Kind.OIDC, displayName, email, issuer, subject,
                true, false, now, now, now);
        if (!insert(created, null)) {
            // Two first sign-ins at once: the other one created the user.
            return repository.findByUsername(username).orElseThrow().user();
        }
        audit.changed("create", "user", created.id(), created.username(), null, UserView.of(created));
        return created;
    }

    /** The user with this username, of any kind (a provider user's is {@code <issuer>#<subject>}). */
    public Optional<User> named(String username) {
        return repository.findByUsername(username).map(UserRepository.WithPassword::user);
    }

    /** The local user {@code username} with its password hash, for sign-in; empty for anyone else. */
    Optional<UserRepository.WithPassword> local(String username) {
        return repository.findByUsername(username).filter(u -> u.user().kind() == User.Kind.LOCAL);
    }

    void recordSignIn(User user) {
        repository.recordSignIn(user.id(), now());
    }

    private boolean insert(User user, String hash) {
        boolean stored;
        try {
            stored = repository.insert(user, hash);
        } catch (UniqueViolationException e) {
            stored = false;
        }
        if (!stored && user.kind() == User.Kind.LOCAL) {
            throw RefusedChangeException.nameTaken(user.username());
        }
        return stored;
    }

    private static boolean changed(User user, String displayName, String email) {
        return !java.util.Objects.equals(user.displayName(), displayName)
                || !java.util.Objects.equals(user.email(), email);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
