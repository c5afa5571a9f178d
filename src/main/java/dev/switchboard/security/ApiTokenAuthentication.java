package dev.switchboard.security;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by an API token: it acts for the token's subject with the token's scopes. */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final String subject;
    private final UUID tokenId;
    private final Instant expiresAt;
    private final Set<UUID> servers;

    ApiTokenAuthentication(ApiToken token) {
        this(token.subject(), token.id(), token.expiresAt(), token.servers(),
                token.scopes().stream().map(s -> new SimpleGrantedAuthority(s.authority())).toList());
    }

    private ApiTokenAuthentication(String subject, UUID tokenId, Instant expiresAt, Set<UUID> servers,
                                   Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.subject = subject;
        this.tokenId = tokenId;
        this.expiresAt = expiresAt;
        this.servers = servers;
        setAuthenticated(true);
    }

    /** The same token with other authorities: those its user still holds. */
    ApiTokenAuthentication withAuthorities(Collection<? extends GrantedAuthority> authorities) {
        return new ApiTokenAuthentication(subject, tokenId, expiresAt, servers, authorities);
    }

    /** The virtual servers whose MCP endpoints alone the token reaches, or null for every endpoint. */
    public Set<UUID> servers() {
        return servers;
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
