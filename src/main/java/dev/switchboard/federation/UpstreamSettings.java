package dev.switchboard.federation;

import dev.switchboard.settings.Bounds;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings of connections to upstreams and of their health checks (SWITCHBOARD_UPSTREAM_*), checked at startup.
 *
 * @param connectTimeout  How long opening a TCP connection to an HTTP upstream may take; 1 ms to 1 day.
 * @param requestTimeout  How long one request to an upstream may wait for its answer; then it fails with a timeout
 *                        and is cancelled upstream; 1 ms to 1 day.
 * @param stdioRestartMax The longest wait between restarts of a stdio upstream that keeps exiting (the backoff
 *                        doubles from 1 s up to this); 1 ms to 1 day.
 * @param healthInterval  How often each upstream is health-checked, across all replicas together; 100 ms to 1 day.
 * @param healthTimeout   How long a health check waits for the upstream's answer; 10 ms to 5 min.
 * @param unhealthyAfter  Consecutive failed checks after which an upstream is unreachable and its entries are
 *                        hidden; 1 to 1000.
 * @param maxMessageBytes The largest message an upstream may send: a JSON answer body, one SSE event (and so each
 *                        of its lines), one stdio line. A bigger one fails its request, saying so; 1 KiB to 1 GiB.
 * @param refreshDebounce How long after an upstream's list_changed its refresh starts; the notifications that arrive
 *                        meanwhile, on any replica, join that one refresh; 10 ms to 10 min.
 */
@ConfigurationProperties("switchboard.upstream")
public record UpstreamSettings(@DefaultValue("PT5S") Duration connectTimeout,
                               @DefaultValue("PT60S") Duration requestTimeout,
                               @DefaultValue("PT60S") Duration stdioRestartMax,
                               @DefaultValue("PT30S") Duration healthInterval,
                               @DefaultValue("PT5S") Duration healthTimeout,
                               @DefaultValue("3") int unhealthyAfter,
                               @DefaultValue("16777216") long maxMessageBytes,
                               @DefaultValue("PT1S") Duration refreshDebounce) {

    @ConstructorBinding
    public UpstreamSettings {
        Bounds.duration("SWITCHBOARD_UPSTREAM_CONNECT_TIMEOUT", connectTimeout, Duration.ofMillis(1),
                Duration.ofDays(1));
        Bounds.duration("SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT", requestTimeout, Duration.ofMillis(1),
                Duration.ofDays(1));
        Bounds.duration("SWITCHBOARD_UPSTREAM_STDIO_RESTART_MAX", stdioRestartMax, Duration.ofMillis(1),
                Duration.ofDays(1));
        Bounds.duration("SWITCHBOARD_UPSTREAM_HEALTH_INTERVAL", healthInterval, Duration.ofMillis(100),
                Duration.ofDays(1));
        Bounds.duration("SWITCHBOARD_UPSTREAM_HEALTH_TIMEOUT", healthTimeout, Duration.ofMillis(10),
                Duration.ofMinutes(5));
        Bounds.whole("SWITCHBOARD_UPSTREAM_UNHEALTHY_AFTER", unhealthyAfter, 1, 1000);
        Bounds.whole("SWITCHBOARD_UPSTREAM_MAX_MESSAGE_BYTES", maxMessageBytes, 1024, 1L << 30);
        Bounds.duration("SWITCHBOARD_UPSTREAM_REFRESH_DEBOUNCE", refreshDebounce, Duration.ofMillis(10),
                Duration.ofMinutes(10));
    }

    /** Connection settings given as durations, the health checks at their defaults: for tests and tools. */
    public UpstreamSettings(Duration connectTimeout, Duration requestTimeout, Duration stdioRestartMax) {
        this(connectTimeout, requestTimeout, stdioRestartMax, Duration.ofSeconds(30), Duration.ofSeconds(5), 3,
                16L << 20, Duration.ofSeconds(1));
    }

    /**
     * The longest anything that waits for an upstream as a whole may take: opening a connection (the TCP connect,
     * then the handshake's answer), or waiting for another caller that is opening one.
     */
    public Duration openDeadline() {
        return connectTimeout.plus(requestTimeout);
    }
}
