package dev.switchboard.security;

import dev.switchboard.testing.TestJwts;
import static dev.switchboard.testing.TestGateway.basic;
import static dev.switchboard.testing.TestGateway.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bearer JWTs (HS256 with JWT_SECRET and RS256 with JWT_PUBLIC_KEY, side by side), the administrator's HTTP
 * Basic login, and the scopes each route asks for, on one running gateway.
 */
class JwtAuthenticationTest {

    private static final String SECRET = TestJwts.newSecret();
    private static final KeyPair KEYS = TestJwts.newRsaKeys();
    private static final String ADMIN_PASSWORD = "jwt-test-admin-password";
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(Map.of(
                "DATABASE_URL", TestEngines.scratchDatabaseUrl(),
                "JWT_SECRET", SECRET,
                "JWT_PUBLIC_KEY", TestJwts.pem((RSAPublicKey) KEYS.getPublic()),
                "ADMIN_PASSWORD", ADMIN_PASSWORD,
                // This class fails many logins on purpose; the limit has its own test.
                "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "1000"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void anHs256TokenSignedWithTheSecretIsAccepted() throws Exception {
        String token = TestJwts.hs256(SECRET, TestJwts.claims("alice", "tokens:manage catalog:read"));
        HttpResponse<String> response = gateway.get("/v1/tokens", "Authorization", bearer(token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void anRs256TokenVerifiedWithThePublicKeyIsAccepted() throws Exception {
        String token = TestJwts.rs256(KEYS, "any", TestJwts.claims("bob", "tokens:manage"));
        assertThat(gateway.get("/v1/tokens", "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    }

    @Test
    void scopesMayComeAsAnScpArray() throws Exception {
        String token = TestJwts.hs256(SECRET, TestJwts.claims("carol", null).claim("scp", List.of("metrics:read")));
        assertThat(gateway.get("/metrics/prometheus", "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiryWithinTheClockSkewIsStillAccepted() throws Exception {
        Instant now = Instant.now();
        String token = TestJwts.hs256(SECRET, TestJwts.claims("dave", "tokens:manage")
                .issueTime(Date.from(now.minus(Duration.ofMinutes(5)))).expirationTime(Date.from(now.minusSeconds(10))));
        HttpResponse<String> response = gateway.get("/v1/tokens", "Authorization", bearer(token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void everyFlawedTokenIsRefusedWith401SayingWhy() throws Exception {
        Instant now = Instant.now();
        List<Flaw> flaws = List.of(
                new Flaw("expired", "Jwt expired at", TestJwts.hs256(SECRET, TestJwts.claims("eve", "tokens:manage")
                        .issueTime(Date.from(now.minus(Duration.ofMinutes(10))))
                        .expirationTime(Date.from(now.minus(Duration.ofMinutes(2)))))),
                new Flaw("without exp", "exp is required", TestJwts.hs256(SECRET,
                        TestJwts.claims("eve", "tokens:manage").expirationTime(null))),
                new Flaw("not yet valid", "Jwt used before", TestJwts.hs256(SECRET,
                        TestJwts.claims("eve", "tokens:manage").notBeforeTime(Date.from(now.plus(Duration.ofMinutes(2)))))),
                new Flaw("for another audience", "aud claim", TestJwts.hs256(SECRET,
                        TestJwts.claims("eve", "tokens:manage").audience("someone-else"))),
                new Flaw("without audience", "aud claim", TestJwts.hs256(SECRET,
                        TestJwts.claims("eve", "tokens:manage").audience((String) null))),
                new Flaw("from another issuer", "iss claim", TestJwts.hs256(SECRET,
                        TestJwts.claims("eve", "tokens:manage").issuer("https://elsewhere.example"))),
                new Flaw("without subject", "sub claim", TestJwts.hs256(SECRET, TestJwts.claims(null, "tokens:manage"))),
                new Flaw("signed with another secret", "Invalid signature", TestJwts.hs256(TestJwts.newSecret(),
                        TestJwts.claims("eve", "tokens:manage"))),
                new Flaw("with a broken signature", "Invalid signature",
                        tamper(TestJwts.hs256(SECRET, TestJwts.claims("eve", "tokens:manage")))),
                new Flaw("unsigned (alg none)", "signed with none are not accepted",
                        TestJwts.unsigned(TestJwts.claims("eve", "tokens:manage"))),
                new Flaw("signed with another RSA key", "Invalid signature", TestJwts.rs256(TestJwts.newRsaKeys(), "k",
                        TestJwts.claims("eve", "tokens:manage"))),
                // Algorithm confusion: an HMAC keyed with the public key, which anyone may have.
                new Flaw("HS256 keyed with the public key", "Invalid signature", TestJwts.hs256(
                        TestJwts.pem((RSAPublicKey) KEYS.getPublic()).getBytes(StandardCharsets.US_ASCII),
                        TestJwts.claims("eve", "tokens:manage"))),
                new Flaw("not a JWT", "neither an API token nor a JWT", "abc.def.ghi"));
        for (Flaw flaw : flaws) {
            HttpResponse<String> response = gateway.get("/v1/tokens", "Authorization", bearer(flaw.token()));
            assertThat(response.statusCode()).as("a token %s: %s", flaw.what(), response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).get().asString()
                    .startsWith("application/problem+json");
            assertThat(response.body()).as(flaw.what())
                    .contains("\"type\":\"https://switchboard.dev/problems/unauthorized\"")
                    .contains(flaw.reason()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(response.headers().allValues("WWW-Authenticate"))
                    .contains("Bearer realm=\"switchboard\", error=\"invalid_token\"");
        }
    }

    private record Flaw(String what, String reason, String token) {
    }

    @Test
    void aTokenWithOnlyCatalogReadIsForbiddenToIssueTokensAndToReadMetrics() throws Exception {
        String reader = bearer(TestJwts.hs256(SECRET, TestJwts.claims("frank", "catalog:read")));
        HttpResponse<String> issue = gateway.send("POST", "/v1/tokens",
                "{\"name\":\"x\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":1}", "Authorization", reader);
        assertThat(issue.statusCode()).isEqualTo(403);
        assertThat(issue.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(issue.body()).contains("\"type\":\"https://switchboard.dev/problems/forbidden\"")
                .contains("'tokens:manage'").contains("\"scopes\":[\"tokens:manage\"]");

        HttpResponse<String> metrics = gateway.get("/metrics/prometheus", "Authorization", reader);
        assertThat(metrics.statusCode()).isEqualTo(403);
        assertThat(metrics.body()).contains("'metrics:read'");
        String scraper = bearer(TestJwts.hs256(SECRET, TestJwts.claims("prometheus", "metrics:read")));
        assertThat(gateway.get("/metrics/prometheus", "Authorization", scraper).statusCode()).isEqualTo(200);
    }

    @Test
    void catalogRoutesAskForReadOrWriteByMethodAndEncryptedSecretsForAdmin() throws Exception {
        String reader = bearer(TestJwts.hs256(SECRET, TestJwts.claims("grace", "catalog:read")));
        String writer = bearer(TestJwts.hs256(SECRET, TestJwts.claims("heidi", "catalog:write")));
        // Let through by security, so the endpoint itself answers: neither 401 nor 403.
        assertThat(gateway.get("/v1/tools", "Authorization", reader).statusCode()).isEqualTo(200);
        assertThat(gateway.send("HEAD", "/v1/tools", null, "Authorization", reader).statusCode()).isEqualTo(200);
        assertThat(gateway.send("POST", "/v1/tools", "{}", "Authorization", writer).statusCode()).isEqualTo(422);
        assertThat(gateway.send("DELETE", "/v1/tools/x", null, "Authorization", writer).statusCode()).isEqualTo(404);

        assertThat(gateway.send("POST", "/v1/tools", "{}", "Authorization", reader).body()).contains("'catalog:write'");
        assertThat(gateway.get("/v1/tools", "Authorization", writer).body()).contains("'catalog:read'");
        // Export and import follow read and write; stored credentials, even encrypted, leave only with admin.
        assertThat(gateway.get("/v1/export", "Authorization", reader).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/v1/export?secrets=encrypted", "Authorization", reader).body()).contains("'admin'");
        assertThat(gateway.send("POST", "/v1/import", "{}", "Authorization", writer).statusCode()).isEqualTo(422);
        assertThat(gateway.send("POST", "/v1/import", "{}", "Authorization", reader).body())
                .contains("'catalog:write'");
    }

    @Test
    void theApiDescriptionIsOpenToAnyAuthenticatedCaller() throws Exception {
        String nobody = bearer(TestJwts.hs256(SECRET, TestJwts.claims("ivan", "")));
        assertThat(gateway.get("/openapi.json", "Authorization", nobody).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/openapi.json").statusCode()).isEqualTo(401);
    }

    @Test
    void theAdministratorLogsInWithHttpBasicAndHoldsEveryScope() throws Exception {
        String admin = basic("admin", ADMIN_PASSWORD);
        assertThat(gateway.get("/metrics/prometheus", "Authorization", admin).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/v1/tokens", "Authorization", admin).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/v1/export", "Authorization", admin).statusCode()).isEqualTo(200);

        for (String wrong : List.of(basic("admin", "not-the-password"), basic("root", ADMIN_PASSWORD),
                basic("admin", ADMIN_PASSWORD + "x"), basic("admin", ""), "Basic not-base64!")) {
            HttpResponse<String> response = gateway.get("/v1/tokens", "Authorization", wrong);
            assertThat(response.statusCode()).as(wrong).isEqualTo(401);
            assertThat(response.body()).contains("\"type\":\"https://switchboard.dev/problems/unauthorized\"");
            assertThat(response.headers().allValues("WWW-Authenticate"))
                    .contains("Basic realm=\"switchboard\", charset=\"UTF-8\"");
        }
    }

    private static String tamper(String jwt) {
        int dot = jwt.lastIndexOf('.');
        char last = jwt.charAt(dot + 1);
        return jwt.substring(0, dot + 1) + (last == 'A' ? 'B' : 'A') + jwt.substring(dot + 2);
    }
}
