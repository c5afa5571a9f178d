package dev.switchboard.security;

import java.time.Instant;
import java.util.UUID;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by an API token: it acts for the token's subject with the token's scopes. */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final String subject;
    private final UUID tokenId;
    private final Instant expiresAt;

    ApiTokenAuthentication(ApiToken token) {
        super(token.scopes().stream().map(s -> new SimpleGrantedAuthority(s.authority())).toList());
        this.subject = token.subject();
        this.tokenId = token.id();
        this.expiresAt = token.expiresAt();
        setAuthenticated(true);
    }

    /** The stored token that authenticated the request. */
    public UUID tokenId() {
        return tokenId;
    }

    /** When the token stops working. */
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return subject;
    }
}
