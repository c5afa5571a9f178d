package dev.switchboard.observability;

import dev.switchboard.settings.Bounds;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway leaves its load balancer when it is told to stop.
 *
 * @param drain How long, after SIGTERM and before anything stops, the gateway goes on serving while {@code /ready}
 *              answers 503, so that load balancers stop sending to it before it stops taking connections
 *              (SWITCHBOARD_SHUTDOWN_DRAIN); 0 to 2 min, 0 by default. The Helm chart sets 5 s.
 */
@ConfigurationProperties("switchboard.shutdown")
public record ShutdownSettings(@DefaultValue("PT0S") Duration drain) {

    public ShutdownSettings {
        Bounds.duration("SWITCHBOARD_SHUTDOWN_DRAIN", drain, Duration.ZERO, Duration.ofMinutes(2));
    }
}
