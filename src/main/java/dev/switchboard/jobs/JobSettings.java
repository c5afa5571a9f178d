package dev.switchboard.jobs;

import dev.switchboard.settings.Bounds;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shared job runner's settings (SWITCHBOARD_JOBS_*), checked at startup.
 *
 * @param pollInterval How often each replica looks for due background jobs (never longer than a quarter of the
 *                     shortest job interval); 10 ms to 1 min.
 * @param runTimeout   A background job run longer than this is interrupted; its lease lasts twice as long; 1 s to
 *                     1 h.
 */
@ConfigurationProperties("switchboard.jobs")
public record JobSettings(@DefaultValue("PT1S") Duration pollInterval, @DefaultValue("PT1M") Duration runTimeout) {

    /** The shortest tick the runner takes, whatever the jobs' intervals. */
    static final Duration SHORTEST_TICK = Duration.ofMillis(10);

    public JobSettings {
        Bounds.duration("SWITCHBOARD_JOBS_POLL_INTERVAL", pollInterval, SHORTEST_TICK, Duration.ofMinutes(1));
        Bounds.duration("SWITCHBOARD_JOBS_RUN_TIMEOUT", runTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
    }
}
