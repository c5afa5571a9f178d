package dev.switchboard.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.text.ParseException;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Checks a bearer credential for one request: {@code sbt_...} is an API token looked up in the database; a JWT
 * whose (not yet verified) {@code iss} is a trusted authorization server's is an OAuth access token, checked for
 * this request's resource by {@link OAuthTokens}; any other JWT is checked against the JWT_* settings. With no JWT
 * key configured and no authorization server, only API tokens are accepted.
 */
final class BearerAuthentication implements AuthenticationManagerResolver<HttpServletRequest> {

    private final ApiTokenService apiTokens;
    private final JwtVerification jwts;
    private final OAuthTokens oauth;
    private final PublicUrl publicUrl;

    /** @param jwts null when no JWT secret, key or key set is configured */
    BearerAuthentication(ApiTokenService apiTokens, JwtVerification jwts, OAuthTokens oauth, PublicUrl publicUrl) {
        this.apiTokens = apiTokens;
        this.jwts = jwts;
        this.oauth = oauth;
        this.publicUrl = publicUrl;
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return authentication -> authenticate(((BearerTokenAuthenticationToken) authentication).getToken(), request);
    }

    private Authentication authenticate(String token, HttpServletRequest request) {
        if (ApiTokenService.isApiToken(token)) {
            return apiTokens.authenticate(token);
        }
        String issuer = unverifiedIssuer(token);
        URI base = publicUrl.baseFor(request).orElse(null);
        if (oauth.claims(issuer, base)) {
            String resource = base == null ? null
                    : McpResources.of(request).map(path -> PublicUrl.join(base, path)).orElse(null);
            return oauth.authenticate(token, issuer, base, resource);
        }
        if (jwts == null) {
            throw new InvalidBearerTokenException("The token is from no authorization server this gateway trusts, "
                    + "and other JWTs are not accepted: no JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL is configured");
        }
        return jwts.authenticate(token);
    }

    /** Which verifier to ask; the chosen one checks the signature and the issuer again. */
    private static String unverifiedIssuer(String token) {
        try {
            JWT jwt = JWTParser.parse(token);
            Object issuer = jwt.getJWTClaimsSet().getClaim("iss");
            return issuer instanceof String text ? text : null;
        } catch (ParseException e) {
            return null;
        }
    }
}
