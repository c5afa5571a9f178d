package dev.switchboard.security;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling and what they may do, whatever credential they used: the administrator's password, a JWT
 * or an API token. Scopes the gateway does not know are dropped here.
 *
 * @param expiresAt when the credential stops working; null for the administrator's password
 */
public record Caller(String subject, Set<Scope> scopes, Instant expiresAt) {

    private static final String PREFIX = "SCOPE_";

    public Caller {
        scopes = Collections.unmodifiableSet(scopes.isEmpty() ? EnumSet.noneOf(Scope.class) : EnumSet.copyOf(scopes));
    }

    /** The caller behind an authenticated request. */
    public static Caller of(Authentication authentication) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith(PREFIX)) {
                Scope.parse(name.substring(PREFIX.length())).ifPresent(scopes::add);
            }
        }
        Instant expiresAt = switch (authentication) {
            case ApiTokenAuthentication token -> token.expiresAt();
            case JwtAuthenticationToken jwt -> jwt.getToken().getExpiresAt();
            default -> null;
        };
        return new Caller(authentication.getName(), scopes, expiresAt);
    }

    /** Holders of the admin scope see and revoke everyone's API tokens. */
    public boolean isAdmin() {
        return scopes.contains(Scope.ADMIN);
    }
}
