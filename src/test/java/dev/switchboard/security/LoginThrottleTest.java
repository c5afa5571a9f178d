package dev.switchboard.security;

import static dev.switchboard.testing.TestGateway.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.persistence.Dialect;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayCluster;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Failed logins are limited per client address: after the limit, attempts with credentials get 429 until the
 * window closes, without the credentials being checked. Requests without credentials are never limited.
 */
class LoginThrottleTest {

    private static final String PASSWORD = "throttle-test-password";

    @Test
    void theEleventhFailureIn1MinuteGets429WithRetryAfterAndOtherClientsAreUnaffected() throws Exception {
        // Forwarded headers are trusted only because this gateway is told to (Tomcat's RemoteIpValve, which
        // trusts them from private and loopback addresses); that is how each request here gets its own client.
        try (TestGateway gateway = TestGateway.start(Map.of(
                "DATABASE_URL", TestEngines.scratchDatabaseUrl(),
                "ADMIN_PASSWORD", PASSWORD,
                "server.forward-headers-strategy", "native"))) {
            String attacker = "203.0.113.7";
            for (int i = 1; i <= 10; i++) {
                assertThat(gateway.get("/v1/tokens", "Authorization", basic("admin", "guess-" + i),
                        "X-Forwarded-For", attacker).statusCode()).as("attempt %d", i).isEqualTo(401);
            }
            HttpResponse<String> limited = gateway.get("/v1/tokens", "Authorization", basic("admin", "guess-11"),
                    "X-Forwarded-For", attacker);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Content-Type")).get().asString()
                    .startsWith("application/problem+json");
            assertThat(limited.body()).contains("\"type\":\"https://switchboard.dev/problems/too-many-requests\"");
            assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);

            // The credentials are not even checked: the right password from the same client is refused too.
            assertThat(gateway.get("/v1/tokens", "Authorization", basic("admin", PASSWORD),
                    "X-Forwarded-For", attacker).statusCode()).isEqualTo(429);
            // Requests without credentials are not limited (a probe keeps working) and still get 401 or 200.
            assertThat(gateway.get("/health", "X-Forwarded-For", attacker).statusCode()).isEqualTo(200);
            assertThat(gateway.get("/v1/tokens", "X-Forwarded-For", attacker).statusCode()).isEqualTo(401);
            // Another client logs in as usual.
            assertThat(gateway.get("/v1/tokens", "Authorization", basic("admin", PASSWORD),
                    "X-Forwarded-For", "203.0.113.8").statusCode()).isEqualTo(200);
            // Successful logins are never counted.
            for (int i = 0; i < 20; i++) {
                assertThat(gateway.get("/v1/tokens", "Authorization", basic("admin", PASSWORD),
                        "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void withoutForwardedHeadersTrustedTheClientIsTheConnectionsAddress() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of(
                "DATABASE_URL", TestEngines.scratchDatabaseUrl(),
                "ADMIN_PASSWORD", PASSWORD,
                "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "3"))) {
            // A client cannot escape the limit by claiming to be someone else each time.
            for (int i = 1; i <= 3; i++) {
                assertThat(gateway.get("/v1/tokens", "Authorization", basic("admin", "guess"),
                        "X-Forwarded-For", "198.51.100." + i).statusCode()).isEqualTo(401);
            }
            assertThat(gateway.get("/v1/tokens", "Authorization", basic("admin", PASSWORD),
                    "X-Forwarded-For", "198.51.100.99").statusCode()).isEqualTo(429);
            // Bad bearer tokens count as failed logins too.
            assertThat(gateway.get("/v1/tokens", "Authorization", "Bearer sbt_nonsense").statusCode()).isEqualTo(429);
        }
    }

    /**
     * Replicas share the count: failures spread over two gateways add up to the limit. The replica that counts the
     * last failure refuses at once; the other refuses within its refresh, even the right password, which it let in
     * before. Another address is not affected.
     */
    @EngineTest
    void replicasShareTheCountOfFailedLogins(TestEngine engine) {
        if (Dialect.of(engine.engine()).embedded()) {
            return; // a SQLite file serves one gateway
        }
        String url = engine.newDatabaseUrl();
        Map<String, String> settings = new HashMap<>(GatewayCluster.sharedSettings());
        settings.put("SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "4");
        settings.put("server.forward-headers-strategy", "native");
        GatewayUnderTest a = GatewayUnderTest.start(url, settings);
        GatewayUnderTest b = GatewayUnderTest.start(url, settings);
        try {
            String attacker = "203.0.113.60";
            assertThat(login(a, "guess", attacker)).isEqualTo(401);
            assertThat(login(a, "guess", attacker)).isEqualTo(401);
            assertThat(login(a, a.adminPassword(), attacker)).as("two failures are within the limit").isEqualTo(200);
            assertThat(login(b, "guess", attacker)).isEqualTo(401);
            assertThat(login(b, "guess", attacker)).isEqualTo(401);
            assertThat(login(b, b.adminPassword(), attacker)).as("B counted the fourth failure").isEqualTo(429);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> login(a, a.adminPassword(), attacker) == 429);
            assertThat(login(a, a.adminPassword(), "203.0.113.61")).isEqualTo(200);
            assertThat(login(b, b.adminPassword(), "203.0.113.61")).isEqualTo(200);
        } finally {
            a.close();
            b.close();
        }
    }

    private static int login(GatewayUnderTest at, String password, String from) {
        return at.anonymous().send("GET", "/v1/tokens", null, Map.of("Authorization", basic("admin", password),
                "X-Forwarded-For", from)).status();
    }

    @Test
    void theLimitLiftsWhenTheWindowCloses() {
        MovableClock clock = new MovableClock();
        LoginThrottle throttle = new LoginThrottle(2, 100, clock);
        throttle.recordFailure("10.0.0.1");
        clock.advance(Duration.ofSeconds(20));
        assertThat(throttle.retryAfter("10.0.0.1")).isZero();
        throttle.recordFailure("10.0.0.1");
        assertThat(throttle.retryAfter("10.0.0.1")).isEqualTo(Duration.ofSeconds(40));
        assertThat(throttle.retryAfter("10.0.0.2")).isZero();

        clock.advance(Duration.ofSeconds(40));
        assertThat(throttle.retryAfter("10.0.0.1")).isZero();
        // A new window opens with the next failure.
        throttle.recordFailure("10.0.0.1");
        assertThat(throttle.retryAfter("10.0.0.1")).isZero();
    }

    @Test
    void theTableOfClientsStaysWithinItsCapacity() {
        MovableClock clock = new MovableClock();
        LoginThrottle throttle = new LoginThrottle(1, 1000, clock);
        for (int i = 0; i < 5000; i++) {
            throttle.recordFailure("client-" + i);
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(throttle.tracked()).isLessThanOrEqualTo(1000);
        // The most recent offenders are the ones kept.
        assertThat(throttle.retryAfter("client-4999")).isPositive();
        assertThat(throttle.retryAfter("client-0")).isZero();

        clock.advance(LoginThrottle.WINDOW);
        throttle.recordFailure("late");
        throttle.recordFailure("later");
        assertThat(throttle.tracked()).isLessThanOrEqualTo(1000);
    }
}
