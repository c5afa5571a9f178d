package dev.switchboard.security;

import dev.switchboard.testing.TestJwts;
import static dev.switchboard.testing.TestGateway.basic;
import static dev.switchboard.testing.TestGateway.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestGateway;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RS256 JWTs verified with keys fetched over real HTTP from a JWKS endpoint (a JDK HTTP server in this test),
 * on a gateway where HTTP Basic is switched off although ADMIN_PASSWORD is set.
 */
class JwksAuthenticationTest {

    private static final KeyPair KEYS = TestJwts.newRsaKeys();
    private static final String KEY_ID = "signing-key-1";
    private static final String ADMIN_PASSWORD = "jwks-test-admin-password";
    /** While false the key server answers 503, as an identity provider in an outage would. */
    private static final AtomicBoolean serving = new AtomicBoolean(true);
    private static final AtomicInteger fetches = new AtomicInteger();
    private static HttpServer keyServer;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        String jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) KEYS.getPublic()).keyID(KEY_ID)
                .algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).build()).toString();
        keyServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keyServer.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = (serving.get() ? jwks : "{\"error\":\"down\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(serving.get() ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        keyServer.start();
        gateway = TestGateway.start(Map.of(
                "DATABASE_URL", TestEngines.scratchDatabaseUrl(),
                "JWT_JWKS_URL", "http://127.0.0.1:" + keyServer.getAddress().getPort() + "/.well-known/jwks.json",
                "JWT_AUDIENCE", "registry-api",
                "JWT_ISSUER", "https://idp.example",
                "ADMIN_PASSWORD", ADMIN_PASSWORD,
                "SWITCHBOARD_BASIC_AUTH_ENABLED", "false",
                "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "1000"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (keyServer != null) {
            keyServer.stop(0);
        }
    }

    @Test
    void aTokenSignedWithAKeyFromTheKeySetIsAcceptedAndAnotherKeysIsNot() throws Exception {
        String good = TestJwts.rs256(KEYS, KEY_ID, idpClaims("svc-deploy", "tokens:manage"));
        HttpResponse<String> accepted = gateway.get("/v1/tokens", "Authorization", bearer(good));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(fetches.get()).isPositive();

        String forged = TestJwts.rs256(TestJwts.newRsaKeys(), KEY_ID, idpClaims("svc-deploy", "tokens:manage"));
        assertThat(gateway.get("/v1/tokens", "Authorization", bearer(forged)).statusCode()).isEqualTo(401);
        String unknownKey = TestJwts.rs256(TestJwts.newRsaKeys(), "no-such-key", idpClaims("svc", "tokens:manage"));
        assertThat(gateway.get("/v1/tokens", "Authorization", bearer(unknownKey)).statusCode()).isEqualTo(401);
    }

    @Test
    void audienceAndIssuerFollowTheirSettings() throws Exception {
        String defaults = TestJwts.rs256(KEYS, KEY_ID, TestJwts.claims("svc", "tokens:manage"));
        assertThat(gateway.get("/v1/tokens", "Authorization", bearer(defaults)).statusCode()).isEqualTo(401);
    }

    @Test
    void whenTheKeyServerIsDownTheAnswerIs503NotAnInvalidToken() throws Exception {
        // A key id not seen before makes the gateway fetch the key set again.
        KeyPair rotated = TestJwts.newRsaKeys();
        serving.set(false);
        try {
            HttpResponse<String> response = gateway.get("/v1/tokens", "Authorization",
                    bearer(TestJwts.rs256(rotated, "rotated-key", idpClaims("svc", "tokens:manage"))));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.body()).contains("\"type\":\"https://switchboard.dev/problems/signing-keys-unavailable\"");
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        } finally {
            serving.set(true);
        }
        String good = TestJwts.rs256(KEYS, KEY_ID, idpClaims("svc-after-outage", "tokens:manage"));
        assertThat(gateway.get("/v1/tokens", "Authorization", bearer(good)).statusCode()).isEqualTo(200);
    }

    @Test
    void httpBasicIsOffWhenTheFlagSaysSoEvenWithAPassword() throws Exception {
        HttpResponse<String> response = gateway.get("/v1/tokens", "Authorization", basic("admin", ADMIN_PASSWORD));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"switchboard\"");
    }

    private static com.nimbusds.jwt.JWTClaimsSet.Builder idpClaims(String subject, String scope) {
        return TestJwts.claims(subject, scope).issuer("https://idp.example").audience("registry-api");
    }
}
