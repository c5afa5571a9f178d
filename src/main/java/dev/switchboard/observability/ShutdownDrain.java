package dev.switchboard.observability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first step of a graceful shutdown. Spring announces the close (SIGTERM, a rolling update) before it stops
 * anything; this holds the close there for {@code SWITCHBOARD_SHUTDOWN_DRAIN}. Meanwhile the gateway serves as
 * before, {@code /ready} answers 503, and every response asks its client to close its connection, so that load
 * balancers and keep-alive clients move to the other replicas before this one stops taking connections. Then the
 * shutdown goes on: streams are handed over and calls in flight finish.
 */
@Component
public class ShutdownDrain {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    private final ShutdownSettings settings;
    /** Only a gateway that has served drains: one that failed to start has no traffic to move. */
    private volatile boolean served;
    private volatile boolean draining;

    public ShutdownDrain(ShutdownSettings settings) {
        this.settings = settings;
    }

    /** True from the moment the gateway is told to stop. */
    public boolean draining() {
        return draining;
    }

    @EventListener(ApplicationReadyEvent.class)
    void served() {
        served = true;
    }

    @EventListener(ContextClosedEvent.class)
    void drain() {
        if (!served || draining) {
            return;
        }
        draining = true;
        if (settings.drain().isZero()) {
            return;
        }
        log.info("Stopping: serving for {} ms more while load balancers take this replica out (/ready answers 503;"
                + " SWITCHBOARD_SHUTDOWN_DRAIN)", settings.drain().toMillis());
        try {
            Thread.sleep(settings.drain());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** First of all filters, so that no answer given while draining lacks "Connection: close". */
    @Bean
    static FilterRegistrationBean<OncePerRequestFilter> closeConnectionsWhileDraining(ShutdownDrain drain) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new CloseConnections(drain));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static final class CloseConnections extends OncePerRequestFilter {

        private final ShutdownDrain drain;

        CloseConnections(ShutdownDrain drain) {
            this.drain = drain;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (drain.draining()) {
                response.setHeader("Connection", "close");
            }
            chain.doFilter(request, response);
        }
    }
}
