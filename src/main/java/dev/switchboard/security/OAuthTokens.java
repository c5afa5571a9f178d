package dev.switchboard.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.switchboard.problem.ProblemType;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Verifies OAuth access tokens from the authorization servers the MCP endpoints trust (see
 * {@link AuthorizationServers}): the built-in one's against its keys in this process, the external one's against
 * the keys its metadata names. A token is accepted only when its {@code aud} names the resource asked for (the
 * endpoint's canonical URI) or the gateway's base URL, or, for the external provider, an audience the operator
 * added; so a token minted for another endpoint, or another service, is refused.
 *
 * <p>The signature check is remembered per token text for {@link JwtVerification#REMEMBERED} at most and never
 * past expiry; the audience is checked on every request, since it depends on the endpoint.
 */
final class OAuthTokens {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** RFC 9068's access-token type, plain JWT, and none: providers write all three. */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null);

    private record Verified(Jwt jwt, Instant until) {
    }

    private final AuthorizationServers servers;
    private final Supplier<JWKSource<SecurityContext>> builtInKeys;
    private final ExternalIssuer external;
    private final Duration skew;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** @param builtInKeys answers the built-in server's keys, or null when it runs without any */
    OAuthTokens(AuthorizationServers servers, Supplier<JWKSource<SecurityContext>> builtInKeys, Duration skew,
                Clock clock) {
        this.servers = servers;
        this.builtInKeys = builtInKeys;
        this.external = servers.external().map(uri -> new ExternalIssuer(uri, clock)).orElse(null);
        this.skew = skew;
        this.clock = clock;
    }

    /** True when a token with this (unverified) {@code iss} is ours to check, for a gateway at {@code base}. */
    boolean claims(String issuer, URI base) {
        if (issuer == null) {
            return false;
        }
        return isBuiltIn(issuer, base) || (external != null && issuer.equals(external.issuer().toString()));
    }

    /**
     * Verifies {@code token} for a request to {@code resource} (the endpoint's canonical URI, or null off the MCP
     * endpoints) at {@code base}; fails with a 401 reason, or 503 when the provider cannot be reached.
     */
    JwtAuthenticationToken authenticate(String token, String issuer, URI base, String resource) {
        if (base == null) {
            throw new InvalidBearerTokenException("OAuth access tokens are accepted only when the gateway knows its "
                    + "public URL: set SWITCHBOARD_PUBLIC_URL");
        }
        boolean builtIn = isBuiltIn(issuer, base);
        Instant now = clock.instant();
        Verified known = verified.get(token);
        Jwt jwt;
        if (known != null && now.isBefore(known.until()) && issuer.equals(known.jwt().getClaimAsString("iss"))) {
            jwt = known.jwt();
        } else {
            jwt = verify(token, builtIn ? builtInKeys() : external.keys(), issuer, now);
            remember(token, jwt, now);
        }
        Set<String> accepted = new LinkedHashSet<>();
        accepted.add(base.toString());
        if (resource != null) {
            accepted.add(resource);
        }
        if (!builtIn) {
            accepted.addAll(servers.extraAudiences());
        }
        List<String> audience = jwt.getAudience() == null ? List.of() : jwt.getAudience();
        if (audience.stream().noneMatch(accepted::contains)) {
            throw new InvalidBearerTokenException("The token's audience is not this resource: it must name "
                    + (resource != null ? resource + " or " : "") + base);
        }
        return new JwtAuthenticationToken(jwt, scopes(jwt, builtIn), jwt.getSubject());
    }

    private boolean isBuiltIn(String issuer, URI base) {
        return servers.builtInEnabled() && base != null && issuer.equals(base.toString());
    }

    private JWKSource<SecurityContext> builtInKeys() {
        JWKSource<SecurityContext> keys = builtInKeys == null ? null : builtInKeys.get();
        if (keys == null) {
            throw new InvalidBearerTokenException("The built-in authorization server has no signing keys here");
        }
        return keys;
    }

    private Jwt verify(String token, JWKSource<SecurityContext> keys, String issuer, Instant now) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(TYPES);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        // Times and the issuer are checked below, against our clock and skew, with our messages.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (KeySourceException e) {
            throw new AuthenticationUnavailableException(ProblemType.SIGNING_KEYS_UNAVAILABLE,
                    "The keys that sign the authorization server's tokens cannot be fetched now", e);
        } catch (BadJOSEException | JOSEException | ParseException e) {
            throw new InvalidBearerTokenException("The token's signature is not valid for its issuer");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidBearerTokenException("The token's issuer is not one this gateway trusts");
        }
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw new InvalidBearerTokenException("The token has no expiry (exp)");
        }
        if (!now.isBefore(expires.toInstant().plus(skew))) {
            throw new InvalidBearerTokenException("The token has expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant().minus(skew))) {
            throw new InvalidBearerTokenException("The token is not valid yet (nbf)");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > SecuritySettings.MAX_SUBJECT_LENGTH) {
            throw new InvalidBearerTokenException("The token names no subject (sub) of at most "
                    + SecuritySettings.MAX_SUBJECT_LENGTH + " characters");
        }
        return toJwt(token, claims);
    }

    private void remember(String token, Jwt jwt, Instant now) {
        Instant until = now.plus(JwtVerification.REMEMBERED);
        if (jwt.getExpiresAt().isBefore(until)) {
            until = jwt.getExpiresAt();
        }
        if (verified.size() >= JwtVerification.MAX_REMEMBERED) {
            verified.clear();
        }
        verified.put(token, new Verified(jwt, until));
    }

    private static Jwt toJwt(String token, JWTClaimsSet claims) {
        Map<String, Object> values = new LinkedHashMap<>(claims.getClaims());
        // Spring reads times as Instants; Nimbus gives Dates.
        values.replaceAll((name, value) -> value instanceof Date date ? date.toInstant() : value);
        // A single audience may be written as a string; Spring's reader wants the list.
        if (claims.getAudience() != null) {
            values.put("aud", List.copyOf(claims.getAudience()));
        }
        return Jwt.withTokenValue(token).header("alg", "verified").claims(c -> c.putAll(values)).build();
    }

    /** The token's scopes; an external token holding the provider's name for MCP access gets {@code mcp:use}. */
    private Collection<GrantedAuthority> scopes(Jwt jwt, boolean builtIn) {
        Collection<GrantedAuthority> scopes = new ArrayList<>(JwtVerification.scopes(jwt));
        if (!builtIn && scopes.stream().map(GrantedAuthority::getAuthority)
                .anyMatch(a -> servers.grantsMcp(a.substring("SCOPE_".length())))) {
            scopes.add(new SimpleGrantedAuthority(Scope.MCP.authority()));
        }
        return scopes;
    }
}
