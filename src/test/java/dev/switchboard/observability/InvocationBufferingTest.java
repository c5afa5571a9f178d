package dev.switchboard.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.settings.SettingsBinding;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.TestEngines;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The buffer's bounds and the writer's retries; they do not depend on the engine. */
@ExtendWith(OutputCaptureExtension.class)
class InvocationBufferingTest {

    @Test
    void aFullBufferDropsTheOldestCountsThemAndWarnsOncePerEpisode(CapturedOutput output) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InvocationBuffer buffer = new InvocationBuffer(metrics("PT5S", "1000", "PT5M", "P7D", "P90D"),
                registry);
        UUID entity = UUID.randomUUID();
        for (int i = 0; i < 1005; i++) {
            buffer.add(new Invocation(UUID.randomUUID(), EntityType.TOOL, entity, Instant.EPOCH, i, true, null));
        }
        assertThat(buffer.size()).isEqualTo(1000);
        List<Object> batch = buffer.nextBatch(1);
        assertThat(((Invocation) batch.getFirst()).durationUs()).isEqualTo(5);
        assertThat(registry.get("switchboard.invocations.dropped").counter().count()).isEqualTo(5);
        assertThat(output.getOut().lines().filter(l -> l.contains("metrics buffer is full"))).hasSize(1);
        // Until its commit is confirmed the batch stays buffered, and is handed out again.
        assertThat(buffer.size()).isEqualTo(1000);
        assertThat(buffer.nextBatch(500)).isSameAs(batch);
        // After a confirmed write, the episode's drops are reported and a new overflow is a new episode.
        buffer.committed(batch);
        assertThat(output.getOut()).contains("buffer has room again; 5 records were dropped");
        buffer.add(new Invocation(UUID.randomUUID(), EntityType.TOOL, entity, Instant.EPOCH, 1, true, null));
        buffer.add(new Invocation(UUID.randomUUID(), EntityType.TOOL, entity, Instant.EPOCH, 1, true, null));
        assertThat(output.getOut().lines().filter(l -> l.contains("metrics buffer is full"))).hasSize(2);
        assertThat(buffer.droppedTotal()).isEqualTo(6);
    }

    @Test
    void anUnconfirmedBatchIsNeverDroppedAndAFullBufferRefusesTheNewestInstead() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InvocationBuffer buffer = new InvocationBuffer(metrics("PT5S", "1000", "PT5M", "P7D", "P90D"), registry);
        UUID entity = UUID.randomUUID();
        for (int i = 0; i < 1000; i++) {
            buffer.add(new Invocation(UUID.randomUUID(), EntityType.TOOL, entity, Instant.EPOCH, i, true, null));
        }
        List<Object> batch = buffer.nextBatch(1000);
        buffer.add(new Invocation(UUID.randomUUID(), EntityType.TOOL, entity, Instant.EPOCH, 1000, true, null));
        assertThat(buffer.size()).isEqualTo(1000);
        assertThat(buffer.nextBatch(1000)).isSameAs(batch).hasSize(1000);
        assertThat(registry.get("switchboard.invocations.dropped").counter().count()).isEqualTo(1);
    }

    @Test
    void malformedSettingsAreRefusedWithTheirNameAndValue() {
        assertThatThrownBy(() -> metrics("soon", "1000", "PT5M", "P7D", "P90D"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("SWITCHBOARD_METRICS_FLUSH_INTERVAL")
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> metrics("PT5S", "10", "PT5M", "P7D", "P90D"))
                .hasMessageContaining("SWITCHBOARD_METRICS_BUFFER_CAPACITY");
        assertThatThrownBy(() -> metrics("PT5S", "1000", "PT5M", "PT1H", "P90D"))
                .hasMessageContaining("SWITCHBOARD_METRICS_RAW_RETENTION");
        assertThatThrownBy(() -> metrics("PT5S", "1000", "PT5M", "P7D", "P1D"))
                .hasMessageContaining("SWITCHBOARD_METRICS_ROLLUP_RETENTION");
        MetricsSettings defaults = metrics("PT5S", "100000", "PT5M", "P7D", "P90D");
        assertThat(defaults.flushInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> SettingsBinding.bind(MetricsSettings.class,
                Map.of("SWITCHBOARD_METRICS_SHUTDOWN_GRACE", "PT0.5S")::get))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("SWITCHBOARD_METRICS_SHUTDOWN_GRACE");
        assertThat(defaults.rollupRetention()).isEqualTo(Duration.ofDays(90));
    }

    /** The settings as the gateway binds them from the SWITCHBOARD_METRICS_* variables. */
    private static MetricsSettings metrics(String flushInterval, String bufferCapacity, String rollupInterval,
                                           String rawRetention, String rollupRetention) {
        return SettingsBinding.bind(MetricsSettings.class, Map.of("SWITCHBOARD_METRICS_FLUSH_INTERVAL", flushInterval,
                "SWITCHBOARD_METRICS_BUFFER_CAPACITY", bufferCapacity, "SWITCHBOARD_METRICS_ROLLUP_INTERVAL",
                rollupInterval, "SWITCHBOARD_METRICS_RAW_RETENTION", rawRetention,
                "SWITCHBOARD_METRICS_ROLLUP_RETENTION", rollupRetention)::get);
    }

    @Test
    void aBatchWhoseWriteFailsIsKeptAndWrittenByTheNextFlush() throws SQLException {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                Map.of("SWITCHBOARD_METRICS_FLUSH_INTERVAL", "PT1H"))) {
            InvocationRecorder recorder = gateway.bean(InvocationRecorder.class);
            InvocationMetricWriter writer = gateway.bean(InvocationMetricWriter.class);
            InvocationMetricRepository repository = gateway.bean(InvocationMetricRepository.class);
            UUID tool = UUID.randomUUID();
            for (int i = 0; i < 3; i++) {
                recorder.record(EntityType.TOOL, tool, "t", Instant.now(), Duration.ofMillis(i), true, null, null);
            }
            sql(gateway, "ALTER TABLE invocation_metric RENAME TO invocation_metric_away");
            try {
                assertThatThrownBy(writer::flush).isInstanceOf(RuntimeException.class);
            } finally {
                sql(gateway, "ALTER TABLE invocation_metric_away RENAME TO invocation_metric");
            }
            recorder.record(EntityType.TOOL, tool, "t", Instant.now(), Duration.ofMillis(9), false, "timeout", null);
            writer.flush();
            assertThat(repository.count()).isEqualTo(4);
        }
    }

    private static void sql(GatewayUnderTest gateway, String statement) throws SQLException {
        try (Connection c = gateway.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
