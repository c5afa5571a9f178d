package dev.switchboard.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.benchmark.GatewayProcess;
import dev.switchboard.benchmark.Launch;
import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.settings.SettingsBinding;
import dev.switchboard.testing.TestEngines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway told to stop (SIGTERM) with SWITCHBOARD_SHUTDOWN_DRAIN set goes on serving for that long, with /ready
 * answering 503 and every response closing its connection, and then stops by itself.
 */
class ShutdownDrainTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aGatewayToldToStopServesWhileItLeavesItsLoadBalancerThenStops(@TempDir Path logs) throws Exception {
        // Long enough that the checks below run inside the drain even on a slow machine.
        try (GatewayProcess gateway = GatewayProcess.start(Launch.plain(Optional.empty()),
                TestEngines.scratchDatabaseUrl(), GatewayProcess.newSecretKey(),
                Map.of("SWITCHBOARD_SHUTDOWN_DRAIN", "PT20S"), Files.createDirectories(logs).resolve("gateway.log"))) {
            HttpResponse<String> before = get(gateway, "/v1/tools");
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(before.headers().firstValue("Connection")).isEmpty();

            gateway.process().terminate();
            await().atMost(Duration.ofSeconds(10)).until(() -> get(gateway, "/ready").statusCode() == 503);
            HttpResponse<String> ready = get(gateway, "/ready");
            assertThat(ready.body()).contains("NOT_READY", "the gateway is stopping");
            assertThat(ready.headers().firstValue("Connection")).contains("close");
            HttpResponse<String> during = get(gateway, "/v1/tools");
            assertThat(during.statusCode()).as(during.body()).isEqualTo(200);
            assertThat(during.headers().firstValue("Connection")).contains("close");
            assertThat(gateway.process().isAlive()).isTrue();

            // SIGTERM ends a JVM with 143 once its shutdown is done.
            assertThat(gateway.process().await(90, TimeUnit.SECONDS)).isEqualTo(143);
            assertThat(gateway.process().logText()).contains("SWITCHBOARD_SHUTDOWN_DRAIN");
        }
    }

    @Test
    void theDrainIsAtMostTwoMinutes() {
        assertThat(SettingsBinding.bind(ShutdownSettings.class, Map.<String, String>of()::get).drain()).isZero();
        Map<String, String> fiveSeconds = Map.of("SWITCHBOARD_SHUTDOWN_DRAIN", "5s");
        assertThat(SettingsBinding.bind(ShutdownSettings.class, fiveSeconds::get).drain())
                .isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> SettingsBinding.bind(ShutdownSettings.class,
                Map.of("SWITCHBOARD_SHUTDOWN_DRAIN", "PT3M")::get)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("SWITCHBOARD_SHUTDOWN_DRAIN");
    }

    private static HttpResponse<String> get(GatewayProcess gateway, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", gateway.authorization()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
