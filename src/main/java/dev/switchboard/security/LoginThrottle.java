package dev.switchboard.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per client address in one-minute windows that open at a client's first failure. Once
 * a client reaches the limit, its attempts are refused until the window closes. Successes are not counted
 * and do not reset the count, so one valid credential cannot be used to keep guessing another.
 *
 * <p>The counts live in this process: each replica limits on its own, so N replicas behind a balancer allow
 * up to N times the limit. The table is bounded: past {@code capacity} addresses, closed windows are dropped
 * first and then the oldest open ones, so a flood of addresses costs memory only up to the bound.
 *
 * <p>HTTP Basic (LoginThrottleFilter) and the sign-in page of the built-in authorization server share one
 * throttle, so a client cannot get twice the guesses by switching between them.
 */
public final class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int DEFAULT_CAPACITY = 10_000;

    private record Window(Instant start, int failures) {
    }

    private final int limit;
    private final int capacity;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    LoginThrottle(int limit, int capacity, Clock clock) {
        this.limit = limit;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** How long {@code client} must wait before its next attempt; zero when it may try now. */
    public Duration retryAfter(String client) {
        Window window = windows.get(client);
        if (window == null) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        Instant end = window.start().plus(WINDOW);
        if (!now.isBefore(end)) {
            windows.remove(client, window);
            return Duration.ZERO;
        }
        return window.failures() >= limit ? Duration.between(now, end) : Duration.ZERO;
    }

    /** Counts one failed login by {@code client}. */
    public void recordFailure(String client) {
        Instant now = clock.instant();
        windows.compute(client, (key, window) -> window == null || !now.isBefore(window.start().plus(WINDOW))
                ? new Window(now, 1)
                : new Window(window.start(), window.failures() + 1));
        if (windows.size() > capacity) {
            evict(now);
        }
    }

    /** Addresses tracked now; for tests and metrics. */
    int tracked() {
        return windows.size();
    }

    /** Evicts down to 90 % of the capacity, so that a flood of new addresses does not sort the table each time. */
    private synchronized void evict(Instant now) {
        if (windows.size() <= capacity) {
            return;
        }
        windows.entrySet().removeIf(e -> !now.isBefore(e.getValue().start().plus(WINDOW)));
        int excess = windows.size() - capacity * 9 / 10;
        if (excess > 0) {
            windows.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<String, Window> e) -> e.getValue().start()))
                    .limit(excess).map(Map.Entry::getKey).toList()
                    .forEach(windows::remove);
        }
    }
}
