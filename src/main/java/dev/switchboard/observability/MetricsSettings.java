package dev.switchboard.observability;

import dev.switchboard.settings.Bounds;
import dev.switchboard.settings.InvalidSettingException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The invocation metrics settings (SWITCHBOARD_METRICS_*), checked at startup so a typo stops the gateway with a
 * clear message.
 *
 * @param flushInterval   How often recorded invocations are written to the database (sooner when 500 are waiting);
 *                        10 ms to 1 h.
 * @param bufferCapacity  Invocations kept in memory while the database cannot be written; beyond it the oldest are
 *                        dropped and counted; 1000 to 10000000.
 * @param rollupInterval  How often the metrics-rollup job rolls invocations up by hour and applies retention; 1 s to
 *                        30 min.
 * @param rawRetention    How long raw invocation rows are kept; at least 3 hours.
 * @param rollupRetention How long hourly rollups are kept; at least the raw retention.
 * @param shutdownGrace   How long shutdown waits for the database to take the invocations still buffered; what it
 *                        has not taken by then is counted in the log and lost; 1 s to 10 min.
 */
@ConfigurationProperties("switchboard.metrics")
public record MetricsSettings(@DefaultValue("PT2S") Duration flushInterval,
                              @DefaultValue("100000") int bufferCapacity,
                              @DefaultValue("PT5M") Duration rollupInterval,
                              @DefaultValue("P7D") Duration rawRetention,
                              @DefaultValue("P90D") Duration rollupRetention,
                              @DefaultValue("PT10S") Duration shutdownGrace) {

    public MetricsSettings {
        Bounds.duration("SWITCHBOARD_METRICS_FLUSH_INTERVAL", flushInterval, Duration.ofMillis(10),
                Duration.ofHours(1));
        Bounds.whole("SWITCHBOARD_METRICS_BUFFER_CAPACITY", bufferCapacity, 1000, 10_000_000);
        Bounds.duration("SWITCHBOARD_METRICS_ROLLUP_INTERVAL", rollupInterval, Duration.ofSeconds(1),
                Duration.ofMinutes(30));
        // Raw rows must outlive the hour they belong to, or an hour would be deleted before it is rolled up.
        Bounds.duration("SWITCHBOARD_METRICS_RAW_RETENTION", rawRetention, Duration.ofHours(3),
                Duration.ofDays(3650));
        if (rollupRetention.compareTo(rawRetention) < 0) {
            throw new InvalidSettingException("SWITCHBOARD_METRICS_ROLLUP_RETENTION must be at least"
                    + " SWITCHBOARD_METRICS_RAW_RETENTION (" + Bounds.print(rawRetention) + "); it is '"
                    + Bounds.print(rollupRetention) + "'");
        }
        Bounds.duration("SWITCHBOARD_METRICS_ROLLUP_RETENTION", rollupRetention, rawRetention, Duration.ofDays(36500));
        Bounds.duration("SWITCHBOARD_METRICS_SHUTDOWN_GRACE", shutdownGrace, Duration.ofSeconds(1),
                Duration.ofMinutes(10));
    }
}
