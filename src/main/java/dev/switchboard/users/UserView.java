package dev.switchboard.users;

import dev.switchboard.security.Scope;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as /v1/users and the audit trail show it: never a password or its hash. */
public record UserView(UUID id, String username, String kind, String displayName, String email, String issuer,
                       String subject, boolean enabled, boolean platformAdmin, List<String> scopes,
                       Instant createdAt, Instant updatedAt, Instant lastSignInAt) {

    static UserView of(User user) {
        return new UserView(user.id(), user.username(), user.kind().value(), user.displayName(), user.email(),
                user.issuer(), user.subject(), user.enabled(), user.platformAdmin(),
                user.scopes().stream().map(Scope::value).toList(), user.createdAt(), user.updatedAt(),
                user.lastSignInAt());
    }
}
