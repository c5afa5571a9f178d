package dev.switchboard.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.Engine;
import dev.switchboard.security.AesGcmSecretCipher;
import dev.switchboard.security.EncryptionKey;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestSecretKeys;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.junit.jupiter.api.Assertions;
import tools.jackson.databind.JsonNode;

/**
 * What the built-in authorization server keeps in the registry, on every engine: clients, authorizations, consents
 * and keys survive a restart; two gateways on one server database redeem each other's codes and accept each other's
 * tokens; keys rotate with the previous key still published; and switched off, it serves nothing and makes no key.
 */
class AuthorizationServerStorageTest {

    private static final String PUBLIC_URL = "https://gw.example.test";

    private static TestGateway start(String url) {
        return TestGateway.start(Map.of("DATABASE_URL", url, "ADMIN_PASSWORD", BuiltInAuthorizationServerTest.PASSWORD,
                "SWITCHBOARD_PUBLIC_URL", PUBLIC_URL, "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "1000"));
    }

    @EngineTest
    void everythingSurvivesARestartAndCrossesToASecondGateway(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        OAuthFlow.Client client;
        String refreshToken;
        String kid;
        TestGateway first = start(url);
        try {
            OAuthFlow browser = new OAuthFlow(first.port());
            client = browser.register(BuiltInAuthorizationServerTest.REDIRECT, "client_secret_basic");
            OAuthFlow.Pkce pkce = OAuthFlow.Pkce.create();
            Map<String, String> callback = browser.authorize(OAuthFlow.authorizeQuery(
                    BuiltInAuthorizationServerTest.authorizeParameters(client, pkce, PUBLIC_URL + "/mcp")), "admin",
                    BuiltInAuthorizationServerTest.PASSWORD);
            assertThat(callback).containsEntry("iss", PUBLIC_URL);
            assertThat(browser.consentPages).isEqualTo(1);

            // SQLite serves one replica; a server database serves two, which share codes, clients and keys.
            TestGateway redeemer = engine.engine() == Engine.SQLITE ? first : start(url);
            try {
                OAuthFlow other = new OAuthFlow(redeemer.port());
                HttpResponse<String> exchanged = other.exchange(client, callback.get("code"), pkce.verifier());
                assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
                JsonNode tokens = OAuthFlow.JSON.readTree(exchanged.body());
                SignedJWT access = BuiltInAuthorizationServerTest.verified(browser, tokens.get("access_token")
                        .asString());
                BuiltInAuthorizationServerTest.verified(other, tokens.get("access_token").asString());
                assertThat(access.getJWTClaimsSet().getIssuer()).isEqualTo(PUBLIC_URL);
                assertThat(access.getJWTClaimsSet().getAudience()).containsExactly(PUBLIC_URL + "/mcp");
                kid = access.getHeader().getKeyID();
                assertThat(browser.exchange(client, callback.get("code"), pkce.verifier()).statusCode())
                        .as("the code was redeemed at the other gateway").isEqualTo(400);
                // The replay revoked those tokens; a second grant (consent remembered) gives the refresh token.
                OAuthFlow.Pkce second = OAuthFlow.Pkce.create();
                Map<String, String> again = browser.authorize(OAuthFlow.authorizeQuery(
                        BuiltInAuthorizationServerTest.authorizeParameters(client, second, null)), "admin",
                        BuiltInAuthorizationServerTest.PASSWORD);
                assertThat(browser.consentPages).isEqualTo(1);
                HttpResponse<String> secondTokens = other.exchange(client, again.get("code"), second.verifier());
                assertThat(secondTokens.statusCode()).as(secondTokens.body()).isEqualTo(200);
                refreshToken = OAuthFlow.JSON.readTree(secondTokens.body()).get("refresh_token").asString();
            } finally {
                if (redeemer != first) {
                    redeemer.close();
                }
            }
        } finally {
            first.close();
        }

        try (TestGateway restarted = start(url)) {
            OAuthFlow browser = new OAuthFlow(restarted.port());
            assertThat(JWKSet.parse(browser.get("/oauth2/jwks").body()).getKeys()).extracting(JWK::getKeyID)
                    .containsExactly(kid);
            HttpResponse<String> refreshed = browser.refresh(client, refreshToken);
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            assertThat(BuiltInAuthorizationServerTest.verified(browser, OAuthFlow.JSON.readTree(refreshed.body())
                    .get("access_token").asString()).getHeader().getKeyID()).isEqualTo(kid);

            OAuthFlow.Pkce pkce = OAuthFlow.Pkce.create();
            Map<String, String> callback = browser.authorize(OAuthFlow.authorizeQuery(
                    BuiltInAuthorizationServerTest.authorizeParameters(client, pkce, null)), "admin",
                    BuiltInAuthorizationServerTest.PASSWORD);
            assertThat(callback).containsKey("code");
            assertThat(browser.consentPages).as("the consent was remembered").isZero();
        }
    }

    @EngineTest
    void keysRotateAndThePreviousKeyStillVerifies(TestEngine engine) throws Exception {
        try (Database db = engine.openMigrated()) {
            MovableClock clock = new MovableClock(Instant.parse("2026-01-02T03:04:05.123456Z"));
            AesGcmSecretCipher cipher = new AesGcmSecretCipher(EncryptionKey.parse("test", TestSecretKeys.KEY));
            SigningKeys replicaA = new SigningKeys(db.transactions(), cipher, Duration.ofDays(30), clock);
            SigningKeys replicaB = new SigningKeys(db.transactions(), cipher, Duration.ofDays(30), clock);

            // Two replicas that find no key at the same moment make one between them.
            List<String> firstKids = concurrently(() -> replicaA.current().getKeyID(),
                    () -> replicaB.current().getKeyID());
            assertThat(firstKids.get(0)).isEqualTo(firstKids.get(1));
            String oldToken = sign(replicaA);

            clock.advance(Duration.ofDays(30).plusSeconds(1));
            List<String> secondKids = concurrently(() -> replicaA.current().getKeyID(),
                    () -> replicaB.current().getKeyID());
            assertThat(secondKids.get(0)).isEqualTo(secondKids.get(1)).isNotEqualTo(firstKids.get(0));
            assertThat(replicaA.published()).extracting(JWK::getKeyID)
                    .containsExactly(secondKids.get(0), firstKids.get(0));
            assertThat(replicaA.published()).noneMatch(JWK::isPrivate);
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(replicaB.publicSource()).build();
            assertThat(decoder.decode(oldToken).getSubject()).isEqualTo("someone");
            assertThat(decoder.decode(sign(replicaB)).getSubject()).isEqualTo("someone");

            // One more rotation and the first key is gone: its tokens no longer verify.
            clock.advance(Duration.ofDays(30).plusSeconds(1));
            replicaA.current();
            assertThat(replicaA.published()).extracting(JWK::getKeyID).doesNotContain(firstKids.get(0));
            clock.advance(SigningKeys.RELOAD_AFTER.plusSeconds(1));
            Assertions.assertThrows(JwtException.class, () -> decoder.decode(oldToken));

            // The private keys are stored sealed, never in clear.
            List<String> sealed = db.dsl().resultQuery("select private_sealed from oauth_signing_key")
                    .fetch(r -> r.get(0, String.class));
            assertThat(sealed).hasSize(3).noneMatch(s -> s.contains("\"d\""));
        }
    }

    @EngineTest
    void switchedOffItServesNothingAndMakesNoKey(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        try (TestGateway gateway = TestGateway.start(Map.of("DATABASE_URL", url, "ADMIN_PASSWORD", "switched-off",
                "SWITCHBOARD_AUTH_SERVER_ENABLED", "false"))) {
            assertThat(gateway.get("/.well-known/oauth-authorization-server").statusCode()).isNotEqualTo(200);
            assertThat(gateway.get("/oauth2/jwks").statusCode()).isNotEqualTo(200);
            assertThat(gateway.send("POST", "/oauth2/register", "{\"redirect_uris\":[\"https://a.example/cb\"]}")
                    .statusCode()).isNotIn(200, 201);
            assertThat(gateway.context().getBeanNamesForType(com.nimbusds.jose.jwk.source.JWKSource.class)).isEmpty();
            try (Database db = Database.open(dev.switchboard.persistence.DatabaseSettings.forUrl(url))) {
                assertThat(db.dsl().fetchCount(db.dsl().selectFrom("oauth_signing_key"))).isZero();
            }
        }
    }

    private static String sign(SigningKeys keys) {
        return new NimbusJwtEncoder(keys.signingSource()).encode(JwtEncoderParameters.from(
                JwsHeader.with(SignatureAlgorithm.RS256).build(),
                JwtClaimsSet.builder().subject("someone").issuedAt(Instant.now())
                        .expiresAt(Instant.now().plusSeconds(600)).build())).getTokenValue();
    }

    @SafeVarargs
    private static List<String> concurrently(Callable<String>... work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(work.length);
        try {
            List<Future<String>> futures = threads.invokeAll(List.of(work));
            List<String> results = new java.util.ArrayList<>();
            for (Future<String> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
