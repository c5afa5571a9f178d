package dev.switchboard.users;

import dev.switchboard.security.Scope;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * A user of the gateway besides the built-in administrator. {@code username} is what the user's credentials carry
 * as their subject: the name a local user signs in with, or {@code <issuer>#<subject>} for a user of the OpenID
 * Connect provider. The password hash never leaves {@link UserRepository}.
 *
 * @param platformAdmin whether the user may do everything the built-in administrator may
 */
public record User(UUID id, String username, Kind kind, String displayName, String email, String issuer,
                   String subject, boolean enabled, boolean platformAdmin, Instant createdAt, Instant updatedAt,
                   Instant lastSignInAt) {

    /** Where the user comes from. */
    public enum Kind {
        /** Created through /v1/users, signs in with a password. */
        LOCAL("local"),
        /** Created at the first sign-in through the OpenID Connect provider. */
        OIDC("oidc"),
        /** ADMIN_USER: configured by settings, stored nowhere. */
        BUILT_IN("builtin");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static Kind parse(String value) {
            for (Kind kind : values()) {
                if (kind.value.equals(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown user kind " + value);
        }
    }

    /**
     * What a user who is no platform administrator may do: read the catalog and change it (within their teams, as
     * their roles allow), use MCP, manage their own tokens.
     */
    static final Set<Scope> MEMBER_SCOPES = EnumSet.of(Scope.CATALOG_READ, Scope.CATALOG_WRITE, Scope.MCP,
            Scope.TOKENS);

    /** The scopes the user holds: every one for a platform administrator, {@link #MEMBER_SCOPES} otherwise. */
    public Set<Scope> scopes() {
        return platformAdmin ? EnumSet.allOf(Scope.class) : EnumSet.copyOf(MEMBER_SCOPES);
    }
}
