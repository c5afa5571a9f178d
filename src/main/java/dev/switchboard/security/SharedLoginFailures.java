package dev.switchboard.security;

import dev.switchboard.jobs.BackgroundLoop;
import dev.switchboard.jobs.SharedJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The failed-login counts replicas share, in the registry ({@link LoginFailureRepository}). A failure is counted
 * there as it happens, and the replica that counts it learns the shared count at once. The clients that reached the
 * limit through other replicas are read every {@link #REFRESH}, one query for all (at most {@code capacity} of them),
 * so that checking a request asks no database. While the registry is away, each replica counts on its own. Closed
 * windows are deleted once a minute across the replicas.
 */
@Component
class SharedLoginFailures implements LoginThrottle.SharedCounts, SharedJob, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SharedLoginFailures.class);
    /** How often a replica reads which clients other replicas' failures have limited. */
    static final Duration REFRESH = Duration.ofSeconds(2);

    private final LoginFailureRepository repository;
    private final int limit;
    private final Clock clock = Clock.systemUTC();
    private final BackgroundLoop refresh;
    /** The clients (by hash) limited as of the last refresh, and when their window opened. */
    private volatile Map<String, Instant> limited = Map.of();

    SharedLoginFailures(LoginFailureRepository repository, SecuritySettings settings) {
        this.repository = repository;
        this.limit = settings.loginFailuresPerMinute();
        this.refresh = new BackgroundLoop("switchboard-login-failures", this::readLimited, () -> REFRESH, log,
                "Failed logins counted by other replicas cannot be read now ({}); this replica limits on its own",
                "Failed logins counted by other replicas are read again");
    }

    @Override
    public LoginThrottle.Window record(String client, Instant now) {
        try {
            return repository.record(hash(client), now, LoginThrottle.WINDOW);
        } catch (RuntimeException e) {
            log.debug("A failed login was counted on this replica only: the registry did not take it ({})",
                    e.toString());
            return null;
        }
    }

    @Override
    public Instant limitedSince(String client) {
        Map<String, Instant> now = limited;
        return now.isEmpty() ? null : now.get(hash(client));
    }

    private void readLimited() {
        limited = Map.copyOf(repository.limited(clock.instant().minus(LoginThrottle.WINDOW), limit,
                LoginThrottle.DEFAULT_CAPACITY));
    }

    private static String hash(String client) {
        return ApiTokenService.sha256(client);
    }

    // The sweep of closed windows, once a minute across the replicas.

    @Override
    public String name() {
        return "login-failure-sweep";
    }

    @Override
    public Duration interval() {
        return Duration.ofMinutes(1);
    }

    @Override
    public void run() {
        int deleted = repository.deleteBefore(clock.instant().minus(LoginThrottle.WINDOW));
        if (deleted > 0) {
            log.debug("Deleted {} closed windows of failed logins", deleted);
        }
    }

    @Override
    public void start() {
        refresh.start(Duration.ZERO);
    }

    @Override
    public void stop() {
        refresh.stop(Duration.ofSeconds(2));
    }

    @Override
    public boolean isRunning() {
        return refresh.isRunning();
    }
}
