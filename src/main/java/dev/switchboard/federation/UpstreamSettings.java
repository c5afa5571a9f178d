package dev.switchboard.federation;

import dev.switchboard.settings.DurationSetting;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The timeouts of connections to upstreams and the cap of the stdio restart backoff, checked at startup. */
@Component
public class UpstreamSettings {

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration stdioRestartMax;

    @Autowired
    public UpstreamSettings(@Value("${SWITCHBOARD_UPSTREAM_CONNECT_TIMEOUT:PT5S}") String connectTimeout,
                            @Value("${SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT:PT60S}") String requestTimeout,
                            @Value("${SWITCHBOARD_UPSTREAM_STDIO_RESTART_MAX:PT60S}") String stdioRestartMax) {
        this(duration("SWITCHBOARD_UPSTREAM_CONNECT_TIMEOUT", connectTimeout),
                duration("SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT", requestTimeout),
                duration("SWITCHBOARD_UPSTREAM_STDIO_RESTART_MAX", stdioRestartMax));
    }

    /** Settings given as durations, for tests and tools that build connections without Spring. */
    public UpstreamSettings(Duration connectTimeout, Duration requestTimeout, Duration stdioRestartMax) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.stdioRestartMax = stdioRestartMax;
    }

    /** How long opening a TCP connection to an upstream may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long one request to an upstream may wait for its answer; then it is cancelled upstream. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The longest wait between two restarts of a stdio upstream that keeps exiting. */
    public Duration stdioRestartMax() {
        return stdioRestartMax;
    }

    /** 1 ms to 1 day, as an ISO-8601 duration ({@code PT5S}) or in Spring's short form ({@code 5s}). */
    static Duration duration(String name, String text) {
        return DurationSetting.parse(text, Duration.ofMillis(1), Duration.ofDays(1)).orElseThrow(() ->
                new UpstreamSettingsException(name + " must be a duration from 1ms to 1d, such as PT5S or 500ms;"
                        + " it is '" + text + "'"));
    }
}
