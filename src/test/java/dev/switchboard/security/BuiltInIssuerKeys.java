package dev.switchboard.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.switchboard.testing.TestJwts;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Signing keys in the place the built-in authorization server puts its own: a {@code JWKSource} bean. Added to a test
 * gateway with {@code spring.main.sources}; deliberately not a {@code @Configuration}, so component scanning of the
 * other test gateways never finds it. It is primary, so it stands in for the built-in server's own key source, which
 * is there too.
 */
public class BuiltInIssuerKeys {

    static final KeyPair KEYS = TestJwts.newRsaKeys();
    static final String KEY_ID = "built-in-test-key";

    @Bean
    @Primary
    JWKSource<SecurityContext> builtInIssuerKeySource() {
        return new ImmutableJWKSet<>(new JWKSet(new RSAKey.Builder((RSAPublicKey) KEYS.getPublic())
                .privateKey((RSAPrivateKey) KEYS.getPrivate()).keyID(KEY_ID).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).build()));
    }
}
