package dev.switchboard.security;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jwt.JWTParser;
import dev.switchboard.problem.ProblemType;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.client.RestTemplate;

/**
 * Verifies bearer JWTs: HS256 against JWT_SECRET, RS256 against JWT_PUBLIC_KEY or the keys at JWT_JWKS_URL.
 * The decoder is chosen by the token's {@code alg} and each one accepts only its own algorithm, so a token
 * cannot make us verify an HMAC with a public key, or accept {@code alg: none}.
 *
 * <p>A client sends the same token with every request, and verifying it was a tenth of the gateway's work per MCP
 * call. So a token that passed is remembered, by its whole text (signature included), for at most
 * {@link #REMEMBERED} and never past its own expiry; a key taken out of a JWKS therefore stops working within
 * that time.
 */
final class JwtVerification {

    /** A key server that does not answer must not hold request threads for long. */
    private static final Duration JWKS_TIMEOUT = Duration.ofSeconds(5);
    /** How long a verified token is trusted without verifying it again. */
    static final Duration REMEMBERED = Duration.ofMinutes(1);
    /** Tokens remembered at most; past it, all are forgotten at once (clients re-verify once each). */
    static final int MAX_REMEMBERED = 10_000;

    private record Verified(Authentication authentication, Instant until) {
    }

    private final JwtDecoder hmac;
    private final JwtDecoder rsa;
    private final JwtAuthenticationProvider provider;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    JwtVerification(SecuritySettings settings) {
        this(settings, Clock.systemUTC());
    }

    JwtVerification(SecuritySettings settings, Clock clock) {
        this.clock = clock;
        OAuth2TokenValidator<Jwt> validator = validator(settings, clock);
        this.hmac = settings.jwtSecret() == null ? null : withValidator(NimbusJwtDecoder
                .withSecretKey(new SecretKeySpec(settings.jwtSecret(), "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256).build(), validator);
        if (settings.jwtPublicKey() != null) {
            this.rsa = withValidator(NimbusJwtDecoder.withPublicKey(settings.jwtPublicKey())
                    .signatureAlgorithm(SignatureAlgorithm.RS256).build(), validator);
        } else if (settings.jwksUrl() != null) {
            SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
            requests.setConnectTimeout(JWKS_TIMEOUT);
            requests.setReadTimeout(JWKS_TIMEOUT);
            this.rsa = withValidator(NimbusJwtDecoder.withJwkSetUri(settings.jwksUrl().toString())
                    .jwsAlgorithm(SignatureAlgorithm.RS256).restOperations(new RestTemplate(requests)).build(),
                    validator);
        } else {
            this.rsa = null;
        }
        this.provider = new JwtAuthenticationProvider(this::decode);
        provider.setJwtAuthenticationConverter(jwt -> new JwtAuthenticationToken(jwt, scopes(jwt), jwt.getSubject()));
    }

    /** Checks a bearer JWT; fails with a 401 reason, or a 503 when the signing keys cannot be fetched. */
    Authentication authenticate(String token) {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null) {
            if (now.isBefore(known.until())) {
                return known.authentication();
            }
            verified.remove(token, known);
        }
        Authentication authentication = verify(token);
        remember(token, authentication, now);
        return authentication;
    }

    private void remember(String token, Authentication authentication, Instant now) {
        Instant until = now.plus(REMEMBERED);
        if (authentication instanceof JwtAuthenticationToken jwt && jwt.getToken().getExpiresAt() != null
                && jwt.getToken().getExpiresAt().isBefore(until)) {
            // Not past expiry: the validator allowed the clock skew once, and a remembered token gets no more.
            until = jwt.getToken().getExpiresAt();
        }
        if (verified.size() >= MAX_REMEMBERED) {
            verified.clear();
        }
        verified.put(token, new Verified(authentication, until));
    }

    private Authentication verify(String token) {
        try {
            return provider.authenticate(new BearerTokenAuthenticationToken(token));
        } catch (AuthenticationServiceException e) {
            // Not the token's fault: the JWKS server did not answer. The client should retry, not re-login.
            throw new AuthenticationUnavailableException(ProblemType.SIGNING_KEYS_UNAVAILABLE,
                    "The keys that sign JWTs cannot be fetched from JWT_JWKS_URL now", e);
        }
    }

    private Jwt decode(String token) {
        Algorithm alg;
        try {
            alg = JWTParser.parse(token).getHeader().getAlgorithm();
        } catch (ParseException e) {
            throw new BadJwtException("The bearer token is neither an API token nor a JWT");
        }
        String name = alg == null ? "none" : alg.getName();
        if (name.equals("HS256") && hmac != null) {
            return hmac.decode(token);
        }
        if (name.equals("RS256") && rsa != null) {
            return rsa.decode(token);
        }
        throw new BadJwtException("JWTs signed with " + name + " are not accepted here");
    }

    private static JwtDecoder withValidator(NimbusJwtDecoder decoder, OAuth2TokenValidator<Jwt> validator) {
        decoder.setJwtValidator(validator);
        // The default converter tries to read iss as a URL, and Switchboard's issuer ("switchboard") is not one: that
        // threw and caught an exception on every request (seen in the benchmark's profile). iss stays text; the
        // validator compares it as text either way.
        decoder.setClaimSetConverter(MappedJwtClaimSetConverter.withDefaults(
                Map.of(JwtClaimNames.ISS, issuer -> issuer == null ? null : issuer.toString())));
        return decoder;
    }

    private static OAuth2TokenValidator<Jwt> validator(SecuritySettings settings, Clock clock) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(settings.clockSkew());
        timestamps.setClock(clock);
        // A token without exp would be valid forever; one leaked would never stop working.
        timestamps.setAllowEmptyExpiryClaim(false);
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(timestamps);
        validators.add(new JwtIssuerValidator(settings.issuer()));
        validators.add(new JwtAudienceValidator(settings.audience()));
        validators.add(new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank()
                && sub.length() <= SecuritySettings.MAX_SUBJECT_LENGTH));
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    /** Scopes from {@code scope} (space-separated, OAuth 2) and {@code scp} (an array, as some issuers write it). */
    static Collection<GrantedAuthority> scopes(Jwt jwt) {
        Set<String> values = new LinkedHashSet<>();
        for (String claim : List.of("scope", "scp")) {
            Object value = jwt.getClaims().get(claim);
            if (value instanceof String text) {
                values.addAll(List.of(text.trim().split("\\s+")));
            } else if (value instanceof Collection<?> items) {
                items.forEach(item -> values.add(String.valueOf(item)));
            }
        }
        values.remove("");
        return values.stream().<GrantedAuthority>map(v -> new SimpleGrantedAuthority("SCOPE_" + v)).toList();
    }
}
