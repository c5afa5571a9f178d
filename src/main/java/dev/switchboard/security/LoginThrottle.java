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
 * <p>Replicas share the counts through the registry ({@link SharedLoginFailures}): each failure is counted there
 * too, and a replica refuses a client as soon as the shared count reaches the limit, whichever replicas saw the
 * failures (those seen elsewhere within the last couple of seconds; while the registry is away, each replica counts
 * on its own). The table in memory is bounded: past {@code capacity} addresses, closed windows are dropped
 * first and then the oldest open ones, so a flood of addresses costs memory only up to the bound.
 *
 * <p>HTTP Basic (LoginThrottleFilter) and the sign-in page of the built-in authorization server share one
 * throttle, so a client cannot get twice the guesses by switching between them.
 */
public final class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int DEFAULT_CAPACITY = 10_000;

    /** A client's window: when it opened, and the failures counted in it. */
    record Window(Instant start, int failures) {
    }

    /** Counts that replicas share. */
    interface SharedCounts {

        /** Counts one failure of {@code client} at {@code now}; the shared window after it. */
        Window record(String client, Instant now);

        /** When the shared window in which {@code client} reached the limit opened; null if it has not. */
        Instant limitedSince(String client);
    }

    /** Counts of this process only. */
    static final SharedCounts UNSHARED = new SharedCounts() {
        @Override
        public Window record(String client, Instant now) {
            return null;
        }

        @Override
        public Instant limitedSince(String client) {
            return null;
        }
    };

    private final int limit;
    private final int capacity;
    private final Clock clock;
    private final SharedCounts shared;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    LoginThrottle(int limit, int capacity, Clock clock) {
        this(limit, capacity, clock, UNSHARED);
    }

    LoginThrottle(int limit, int capacity, Clock clock, SharedCounts shared) {
        this.limit = limit;
        this.capacity = capacity;
        this.clock = clock;
        this.shared = shared;
    }

    /** How long {@code client} must wait before its next attempt; zero when it may try now. */
    public Duration retryAfter(String client) {
        Window window = windows.get(client);
        Instant now = clock.instant();
        if (window == null || window.failures() < limit) {
            Instant elsewhere = shared.limitedSince(client);
            Instant end = elsewhere == null ? null : elsewhere.plus(WINDOW);
            if (end != null && now.isBefore(end)) {
                return Duration.between(now, end);
            }
        }
        if (window == null) {
            return Duration.ZERO;
        }
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
        Window counted = windows.compute(client, (key, window) -> window == null
                || !now.isBefore(window.start().plus(WINDOW)) ? new Window(now, 1)
                : new Window(window.start(), window.failures() + 1));
        Window everywhere = shared.record(client, now);
        if (everywhere != null && everywhere.failures() > counted.failures()) {
            // Other replicas counted failures of this client too: the shared window is the one that holds.
            windows.put(client, everywhere);
        }
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
