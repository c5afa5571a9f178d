package dev.switchboard.federation;

import dev.switchboard.catalog.Credentials;
import dev.switchboard.catalog.Transport;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.federation.UpstreamException.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The connections to upstreams: one per upstream, opened on first use (once, however many calls arrive together),
 * replaced when it is no longer open or the upstream's registration changed, and all closed at shutdown.
 */
@Component
public class UpstreamPool implements UpstreamConnections, DisposableBean {

    private final Credentials credentials;
    private final UpstreamOpener opener;
    private final UpstreamChanges changes;
    private final Map<UUID, Entry> open = new ConcurrentHashMap<>();
    /** One per upstream being opened or open; dropped when the upstream is forgotten, so bounded by the registry. */
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** The failure of the last attempt to open each upstream, shared with whoever waited for that attempt. */
    private final Map<UUID, Attempt> failures = new ConcurrentHashMap<>();
    private final Duration lockWait;
    private volatile boolean stopped;

    public UpstreamPool(Credentials credentials, UpstreamSettings settings, UpstreamChanges changes) {
        this.credentials = credentials;
        this.changes = changes;
        this.opener = new UpstreamOpener(UpstreamOpener.httpClient(settings), settings);
        // Whoever holds the lock is opening the connection, which takes at most this long.
        this.lockWait = settings.openDeadline();
    }

    private record Entry(long version, RpcConnection connection) {
    }

    private record Attempt(long endedAt, RuntimeException failure) {
    }

    @Override
    public UpstreamConnection of(UpstreamGateway gateway) {
        Entry entry = open.get(gateway.id());
        if (usable(entry, gateway)) {
            return entry.connection();
        }
        // A lock per upstream: concurrent first calls open it once, and a slow upstream holds up only its callers.
        ReentrantLock lock = locks.computeIfAbsent(gateway.id(), id -> new ReentrantLock());
        long askedAt = System.nanoTime();
        acquire(lock, gateway);
        try {
            if (stopped) {
                throw new UpstreamException(Kind.UNREACHABLE, "Switchboard is shutting down");
            }
            entry = open.get(gateway.id());
            if (usable(entry, gateway)) {
                return entry.connection();
            }
            Attempt last = failures.get(gateway.id());
            if (last != null && last.endedAt() - askedAt > 0) {
                // An attempt made while this caller waited has just failed: its answer is this caller's too, so
                // that waiting and opening together never take longer than one attempt.
                throw last.failure();
            }
            if (entry != null) {
                open.remove(gateway.id());
                entry.connection().close();
            }
            RpcConnection connection;
            try {
                connection = opener.open(gateway, credentials.open(gateway.authType(), gateway.authSecret()),
                        credentials.openEnvironment(gateway.commandSecret()));
            } catch (RuntimeException e) {
                // An attempt given up by its own caller (interrupted) says nothing about the upstream.
                if (!(e instanceof UpstreamException u && u.kind() == Kind.CANCELLED)) {
                    failures.put(gateway.id(), new Attempt(System.nanoTime(), e));
                }
                throw e;
            }
            failures.remove(gateway.id());
            connection.notices(changes.noticesFor(gateway));
            open.put(gateway.id(), new Entry(gateway.version(), connection));
            changes.connected(gateway.id(), false);
            return connection;
        } finally {
            lock.unlock();
        }
    }

    private void acquire(ReentrantLock lock, UpstreamGateway gateway) {
        try {
            if (!lock.tryLock(lockWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new UpstreamException(Kind.TIMEOUT, "Upstream " + gateway.name() + ": timed out after "
                        + UpstreamFailure.seconds(lockWait) + " waiting for another request to connect to it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.CANCELLED, "Waiting for the connection to upstream " + gateway.name()
                    + " was interrupted");
        }
    }

    private static boolean usable(Entry entry, UpstreamGateway gateway) {
        return entry != null && entry.version() == gateway.version() && entry.connection().isOpen();
    }

    @Override
    public void forget(UUID gatewayId) {
        Entry entry = open.remove(gatewayId);
        if (entry != null) {
            entry.connection().close();
        }
        failures.remove(gatewayId);
        // A lock someone holds or waits for stays: they still need it to open (at most once) the connection.
        locks.computeIfPresent(gatewayId, (id, lock) -> lock.isLocked() || lock.hasQueuedThreads() ? lock : null);
    }

    /** How many upstreams have a lock, for the tests of its bound. */
    int lockCount() {
        return locks.size();
    }

    /** The transport a connection in the pool actually uses, after detection; null when none is open. */
    public Transport transportOf(UUID gatewayId) {
        Entry entry = open.get(gatewayId);
        return entry == null ? null : entry.connection().transport();
    }

    @Override
    public void destroy() {
        stopped = true;
        open.keySet().forEach(this::forget);
    }
}
