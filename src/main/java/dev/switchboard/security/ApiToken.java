package dev.switchboard.security;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An API token as stored: who it acts for, what it may do and until when. The secret itself is never
 * stored, only its SHA-256, so a token read back from the database cannot be used.
 *
 * @param revokedAt  when it was revoked, or null
 * @param lastUsedAt when it last authenticated a request (to the minute), or null
 * @param servers    the virtual servers whose MCP endpoints alone it reaches, or null for every endpoint
 */
public record ApiToken(UUID id, String subject, String name, Set<Scope> scopes, Instant expiresAt, Instant revokedAt,
                       Instant lastUsedAt, Instant createdAt, Set<UUID> servers) {

    public ApiToken {
        scopes = Collections.unmodifiableSet(scopes.isEmpty() ? EnumSet.noneOf(Scope.class) : EnumSet.copyOf(scopes));
        servers = servers == null ? null : Collections.unmodifiableSet(new TreeSet<>(servers));
    }

    /** True when the token may authenticate a request at {@code now}. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
