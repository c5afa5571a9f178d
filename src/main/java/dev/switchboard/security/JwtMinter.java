package dev.switchboard.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.UUID;

/** Mints HS256 JWTs that this gateway accepts, for operators and scripts (`switchboard token`). */
public final class JwtMinter {

    private final byte[] secret;
    private final String issuer;
    private final String audience;

    /** @param secret JWT_SECRET's bytes, already checked to be long enough */
    public JwtMinter(byte[] secret, String issuer, String audience) {
        this.secret = secret.clone();
        this.issuer = issuer;
        this.audience = audience;
    }

    /** A token for {@code subject} with {@code scopes}, valid from now for {@code lifetime}. */
    public String mint(String subject, Collection<Scope> scopes, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", String.join(" ", scopes.stream().map(Scope::value).toList()))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with HS256: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
