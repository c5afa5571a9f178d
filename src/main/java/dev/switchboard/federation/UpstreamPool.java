package dev.switchboard.federation;

import dev.switchboard.catalog.Credentials;
import dev.switchboard.catalog.Transport;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.federation.UpstreamException.Kind;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<UUID, Entry> open = new ConcurrentHashMap<>();
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public UpstreamPool(Credentials credentials, UpstreamSettings settings) {
        this.credentials = credentials;
        this.opener = new UpstreamOpener(UpstreamOpener.httpClient(settings), settings);
    }

    private record Entry(long version, RpcConnection connection) {
    }

    @Override
    public UpstreamConnection of(UpstreamGateway gateway) {
        Entry entry = open.get(gateway.id());
        if (usable(entry, gateway)) {
            return entry.connection();
        }
        // A lock per upstream: concurrent first calls open it once, and a slow upstream holds up only its callers.
        ReentrantLock lock = locks.computeIfAbsent(gateway.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            if (stopped) {
                throw new UpstreamException(Kind.UNREACHABLE, "Switchboard is shutting down");
            }
            entry = open.get(gateway.id());
            if (usable(entry, gateway)) {
                return entry.connection();
            }
            if (entry != null) {
                open.remove(gateway.id());
                entry.connection().close();
            }
            RpcConnection connection = opener.open(gateway, credentials.open(gateway.authType(), gateway.authSecret()),
                    credentials.openEnvironment(gateway.commandSecret()));
            open.put(gateway.id(), new Entry(gateway.version(), connection));
            return connection;
        } finally {
            lock.unlock();
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
