package dev.switchboard.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Checks a bearer credential for one request: {@code sbt_...} is an API token looked up in the database; a JWT
 * whose (not yet verified) {@code iss} is a trusted authorization server's is an OAuth access token, checked for
 * this request's resource by {@link OAuthTokens}; any other JWT is checked against the JWT_* settings. With no JWT
 * key configured and no authorization server, only API tokens are accepted. Whichever it was, a credential whose
 * subject is a user of this gateway keeps only the scopes that user holds now ({@link UserRights}).
 */
final class BearerAuthentication implements AuthenticationManagerResolver<HttpServletRequest> {

    private final ApiTokenService apiTokens;
    private final JwtVerification jwts;
    private final OAuthTokens oauth;
    private final PublicUrl publicUrl;
    private final UserRights rights;

    /** @param jwts null when no JWT secret, key or key set is configured */
    BearerAuthentication(ApiTokenService apiTokens, JwtVerification jwts, OAuthTokens oauth, PublicUrl publicUrl,
                         UserRights rights) {
        this.apiTokens = apiTokens;
        this.jwts = jwts;
        this.oauth = oauth;
        this.publicUrl = publicUrl;
        this.rights = rights;
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return authentication -> narrowed(authenticate(((BearerTokenAuthenticationToken) authentication).getToken(),
                request));
    }

    /** The authentication with only the scopes its user holds now (unchanged when its subject is no user). */
    private Authentication narrowed(Authentication authenticated) {
        Optional<Set<Scope>> held = rights.scopesOf(authenticated.getName());
        if (held.isEmpty()) {
            return authenticated;
        }
        Set<String> allowed = held.get().stream().map(Scope::authority).collect(Collectors.toSet());
        List<GrantedAuthority> kept = authenticated.getAuthorities().stream()
                .filter(a -> !a.getAuthority().startsWith("SCOPE_") || allowed.contains(a.getAuthority()))
                .map(a -> (GrantedAuthority) a).toList();
        if (kept.size() == authenticated.getAuthorities().size()) {
            return authenticated;
        }
        return switch (authenticated) {
            case ApiTokenAuthentication token -> token.withAuthorities(kept);
            case JwtAuthenticationToken jwt -> new JwtAuthenticationToken(jwt.getToken(), kept, jwt.getName());
            default -> throw new IllegalStateException("unexpected " + authenticated.getClass());
        };
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
