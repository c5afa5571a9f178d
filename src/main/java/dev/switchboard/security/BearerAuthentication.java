package dev.switchboard.security;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Checks a bearer credential: {@code sbt_...} is an API token looked up in the database, anything else is a
 * JWT. With no JWT key configured, only API tokens are accepted.
 */
final class BearerAuthentication implements AuthenticationManager {

    private final ApiTokenService apiTokens;
    private final JwtVerification jwts;

    /** @param jwts null when no JWT secret, key or key set is configured */
    BearerAuthentication(ApiTokenService apiTokens, JwtVerification jwts) {
        this.apiTokens = apiTokens;
        this.jwts = jwts;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        if (ApiTokenService.isApiToken(token)) {
            return apiTokens.authenticate(token);
        }
        if (jwts == null) {
            throw new InvalidBearerTokenException("JWTs are not accepted: no JWT_SECRET, JWT_PUBLIC_KEY or "
                    + "JWT_JWKS_URL is configured");
        }
        return jwts.authenticate(token);
    }
}
