package dev.switchboard.observability;

import dev.switchboard.settings.DurationSetting;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The SWITCHBOARD_METRICS_* settings, checked at startup so a typo stops the gateway with a clear message. */
@Component
public class MetricsSettings {

    private final Duration flushInterval;
    private final int bufferCapacity;
    private final Duration rollupInterval;
    private final Duration rawRetention;
    private final Duration rollupRetention;

    public MetricsSettings(@Value("${SWITCHBOARD_METRICS_FLUSH_INTERVAL:PT5S}") String flushInterval,
                           @Value("${SWITCHBOARD_METRICS_BUFFER_CAPACITY:100000}") String bufferCapacity,
                           @Value("${SWITCHBOARD_METRICS_ROLLUP_INTERVAL:PT5M}") String rollupInterval,
                           @Value("${SWITCHBOARD_METRICS_RAW_RETENTION:P7D}") String rawRetention,
                           @Value("${SWITCHBOARD_METRICS_ROLLUP_RETENTION:P90D}") String rollupRetention) {
        this.flushInterval = duration("SWITCHBOARD_METRICS_FLUSH_INTERVAL", flushInterval, Duration.ofMillis(10),
                Duration.ofHours(1));
        this.bufferCapacity = capacity(bufferCapacity);
        this.rollupInterval = duration("SWITCHBOARD_METRICS_ROLLUP_INTERVAL", rollupInterval, Duration.ofSeconds(1),
                Duration.ofMinutes(30));
        // Raw rows must outlive the hour they belong to, or an hour would be deleted before it is rolled up.
        this.rawRetention = duration("SWITCHBOARD_METRICS_RAW_RETENTION", rawRetention, Duration.ofHours(3),
                Duration.ofDays(3650));
        this.rollupRetention = duration("SWITCHBOARD_METRICS_ROLLUP_RETENTION", rollupRetention, this.rawRetention,
                Duration.ofDays(36500));
    }

    /** How long recorded invocations may wait in memory before they are written. */
    public Duration flushInterval() {
        return flushInterval;
    }

    /** How many unwritten invocations are kept while the database is down; beyond it the oldest are dropped. */
    public int bufferCapacity() {
        return bufferCapacity;
    }

    public Duration rollupInterval() {
        return rollupInterval;
    }

    /** How long raw invocation rows are kept. */
    public Duration rawRetention() {
        return rawRetention;
    }

    /** How long hourly rollups are kept; never shorter than the raw rows. */
    public Duration rollupRetention() {
        return rollupRetention;
    }

    private static Duration duration(String name, String text, Duration min, Duration max) {
        return DurationSetting.parse(text, min, max).orElseThrow(() -> new MetricsSettingsException(name
                + " must be a duration from " + min + " to " + max + " (ISO-8601 such as PT5S or P7D, or 5s); it is '"
                + text + "'"));
    }

    private static int capacity(String text) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 1000 && value <= 10_000_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the accepted range.
        }
        throw new MetricsSettingsException("SWITCHBOARD_METRICS_BUFFER_CAPACITY must be a whole number from 1000 to"
                + " 10000000; it is '" + text + "'");
    }
}
