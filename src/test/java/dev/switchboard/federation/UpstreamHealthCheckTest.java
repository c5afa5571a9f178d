package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.UpstreamHealthRepository.Outcome;
import dev.switchboard.jobs.JobLeaseRepository;
import dev.switchboard.jobs.SharedJobs;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.UpstreamServers;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * One check, called directly: a live SDK upstream is pinged over the pooled connection, and an upstream on a closed
 * port, whose discovery failed at registration, is unreachable from the start and its checks fail with
 * "unreachable" and count up. (The flip after SWITCHBOARD_UPSTREAM_UNHEALTHY_AFTER failures of an upstream that was
 * reachable is UnreachableUpstreamTest's.)
 */
class UpstreamHealthCheckTest {

    @Test
    void aLiveUpstreamIsPingedAndOneOnAClosedPortFailsUntilItIsUnreachable() throws Exception {
        PingClock clock = new PingClock();
        // A long interval: after each upstream's first scheduled check, only the direct calls below check them.
        try (UpstreamServers.Http upstream = UpstreamServers.streamable(clock);
             GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of(
                     "SWITCHBOARD_UPSTREAM_HEALTH_INTERVAL", "PT24H", "SWITCHBOARD_UPSTREAM_UNHEALTHY_AFTER", "2"))) {
            // Taken after the gateway and the upstream have their ports, so that neither gets this one.
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            UUID live = register(gateway, "live", upstream.url());
            UUID dead = register(gateway, "dead", "http://127.0.0.1:" + closedPort + "/mcp");
            UpstreamHealth health = gateway.bean(UpstreamHealth.class);
            UpstreamHealthRepository states = gateway.bean(UpstreamHealthRepository.class);
            // The failed discovery at registration counts as the first failure; the first scheduled check is the second.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> states.find(live).isPresent() && states.find(dead).isPresent()
                            && states.find(dead).orElseThrow().consecutiveFailures() >= 2);
            assertThat(states.find(dead).orElseThrow().consecutiveFailures()).isEqualTo(2);
            assertThat(health.isReachable(dead)).as("never reached, so not reachable").isFalse();
            int pings = clock.pings().size();
            assertThat(pings).isEqualTo(1);

            Outcome ok = health.check(live).orElseThrow();
            assertThat(ok.reachable()).isTrue();
            assertThat(ok.flipped()).isFalse();
            assertThat(clock.pings()).hasSize(pings + 1);
            assertThat(health.isReachable(live)).isTrue();

            Outcome down = health.check(dead).orElseThrow();
            assertThat(down.flipped()).as("it was never reachable").isFalse();
            assertThat(down.reachable()).isFalse();
            assertThat(down.health().consecutiveFailures()).isEqualTo(3);
            assertThat(down.health().lastError()).startsWith("unreachable");
            assertThat(health.isReachable(dead)).isFalse();
            assertThat(gateway.admin().get("/v1/gateways/" + dead).json().get("reachable").asBoolean()).isFalse();

            // The jobs follow the registry: a disabled upstream loses its job, a deleted one its row, both for good.
            JobLeaseRepository leases = gateway.bean(JobLeaseRepository.class);
            SharedJobs jobs = gateway.bean(SharedJobs.class);
            assertThat(gateway.admin().post("/v1/gateways/" + live + "/disable", null).status()).isEqualTo(200);
            assertThat(gateway.admin().delete("/v1/gateways/" + dead, "*").status()).isEqualTo(204);
            awaitTrue(() -> leases.nextRunAt(UpstreamHealth.jobName(live)) == null
                    && leases.nextRunAt(UpstreamHealth.jobName(dead)) == null);
            assertThat(jobs.names()).doesNotContain(UpstreamHealth.jobName(live), UpstreamHealth.jobName(dead));
            assertThat(health.check(live)).as("a disabled upstream is not checked").isEmpty();

            assertThat(gateway.admin().post("/v1/gateways/" + live + "/enable", null).status()).isEqualTo(200);
            awaitTrue(() -> leases.nextRunAt(UpstreamHealth.jobName(live)) != null);
            assertThat(jobs.names()).contains(UpstreamHealth.jobName(live));
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
    }

    private static UUID register(GatewayUnderTest gateway, String name, String url) {
        return UUID.fromString(gateway.admin().post("/v1/gateways", Map.of("name", name + "-" + UUID.randomUUID(),
                "url", url)).id());
    }
}
