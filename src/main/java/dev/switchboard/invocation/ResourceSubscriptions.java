package dev.switchboard.invocation;

import dev.switchboard.catalog.CatalogCache;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.federation.UpstreamChanges;
import dev.switchboard.federation.UpstreamConnection;
import dev.switchboard.federation.UpstreamConnections;
import dev.switchboard.federation.UpstreamException;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.MethodNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's subscriptions to federated resources, counted across clients: the first client to subscribe to a
 * URI subscribes upstream (resources/subscribe), the last to leave unsubscribes there, and the upstream's
 * resources/updated goes to every client subscribed. One upstream subscription per URI and upstream, whatever the
 * number of clients; made again on each new connection to the upstream, which forgets the old one's.
 *
 * <p>An upstream that does not offer subscriptions (capabilities.resources.subscribe) is not asked, and one whose
 * subscription fails is logged: the client's own subscription stands either way, and still hears of changes the
 * catalog sees.
 */
@Component
public class ResourceSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(ResourceSubscriptions.class);

    /** A client that subscribed: a session, or a 2026-07-28 listen request. */
    public interface Subscriber {

        /** The upstream says {@code uri} changed. */
        void resourceUpdated(String uri);
    }

    private record Key(UUID gatewayId, String uri) {
    }

    /** One URI of one upstream: who holds it, and the connection it is subscribed on upstream (null: none). */
    private static final class Entry {
        final Set<Subscriber> subscribers = new LinkedHashSet<>();
        UpstreamConnection on;
    }

    private final CatalogCache catalog;
    private final UpstreamConnections connections;
    private final UpstreamCalls calls;
    /** Guards the map and every entry's subscribers; an entry's own lock orders its upstream calls. */
    private final Map<Key, Entry> entries = new HashMap<>();

    ResourceSubscriptions(CatalogCache catalog, UpstreamConnections connections, UpstreamCalls calls,
                          UpstreamChanges changes) {
        this.catalog = catalog;
        this.connections = connections;
        this.calls = calls;
        changes.onResourceUpdated(this::updated);
        changes.onConnected(this::connected);
    }

    /** {@code subscriber} holds {@code uri} of upstream {@code gatewayId}; the first holder subscribes upstream. */
    public void subscribe(Subscriber subscriber, UUID gatewayId, String uri) {
        Key key = new Key(gatewayId, uri);
        Entry entry;
        synchronized (entries) {
            entry = entries.computeIfAbsent(key, k -> new Entry());
            entry.subscribers.add(subscriber);
        }
        settle(key, entry);
    }

    /** {@code subscriber} lets go of {@code uri} (from whichever upstream); the last holder unsubscribes upstream. */
    public void unsubscribe(Subscriber subscriber, String uri) {
        release(subscriber, key -> key.uri().equals(uri));
    }

    /** {@code subscriber} is gone: it lets go of everything it held. */
    public void unsubscribeAll(Subscriber subscriber) {
        release(subscriber, key -> true);
    }

    /**
     * Lets go of what {@code which} selects. The upstream calls this may lead to run on threads of their own: a
     * session's end is noticed by the change poller, which must not wait for a slow upstream.
     */
    private void release(Subscriber subscriber, Predicate<Key> which) {
        Map<Key, Entry> left = new HashMap<>();
        synchronized (entries) {
            entries.forEach((key, entry) -> {
                if (which.test(key) && entry.subscribers.remove(subscriber)) {
                    left.put(key, entry);
                }
            });
        }
        left.forEach((key, entry) -> Thread.ofVirtual().name("resource-unsubscribe").start(() -> settle(key, entry)));
    }

    /**
     * Brings the upstream in line with the entry: subscribed while anyone holds it, unsubscribed once no one does.
     * Calls for one entry take turns, so an unsubscribe never overtakes the subscribe that follows it; an entry
     * leaves the map only once unsubscribed, so a new entry for the key starts from the truth.
     */
    private void settle(Key key, Entry entry) {
        synchronized (entry) {
            boolean wanted;
            synchronized (entries) {
                wanted = !entry.subscribers.isEmpty();
            }
            if (wanted && entry.on == null) {
                entry.on = call(key, MethodNames.RESOURCES_SUBSCRIBE);
            } else if (!wanted && entry.on != null) {
                call(key, MethodNames.RESOURCES_UNSUBSCRIBE);
                // Unsubscribed, or the connection that held it is gone: either way nothing is subscribed now.
                entry.on = null;
            }
            synchronized (entries) {
                if (entry.subscribers.isEmpty() && entry.on == null) {
                    entries.remove(key, entry);
                }
            }
        }
    }

    /** Sends {@code method} for the key's URI; the connection it went on when the upstream accepted it, else null. */
    private UpstreamConnection call(Key key, String method) {
        Optional<UpstreamGateway> gateway = current(key.gatewayId());
        if (gateway.isEmpty()) {
            return null;
        }
        try {
            UpstreamConnection connection = connections.of(gateway.get());
            if (!connection.serverInfo().path("capabilities").path("resources").path("subscribe").asBoolean(false)) {
                return null;
            }
            ObjectNode params = JsonNodeFactory.instance.objectNode().put("uri", key.uri());
            calls.forward(key.gatewayId(), method, params, CallFeedback.NONE);
            return connection;
        } catch (JsonRpcException | UpstreamException e) {
            log.warn("Upstream {}: {} of {} failed: {}", gateway.get().name(), method, key.uri(), e.getMessage());
            return null;
        }
    }

    /** The upstream, when calls to it are worth making. */
    private Optional<UpstreamGateway> current(UUID gatewayId) {
        return catalog.current().gateway(gatewayId).filter(g -> g.enabled() && g.reachable());
    }

    private void updated(UUID gatewayId, String uri) {
        List<Subscriber> told;
        synchronized (entries) {
            Entry entry = entries.get(new Key(gatewayId, uri));
            told = entry == null ? List.of() : new ArrayList<>(entry.subscribers);
        }
        for (Subscriber subscriber : told) {
            try {
                subscriber.resourceUpdated(uri);
            } catch (RuntimeException e) {
                log.debug("Could not tell a client that {} changed: {}", uri, e.getMessage());
            }
        }
    }

    /**
     * A new connection or session holds no subscriptions: each held URI of that upstream that was subscribed on
     * another connection (or, after a new session, on any) is subscribed again.
     */
    private void connected(UUID gatewayId, boolean sessionRenewed) {
        Map<Key, Entry> held = new HashMap<>();
        synchronized (entries) {
            entries.forEach((key, entry) -> {
                if (key.gatewayId().equals(gatewayId)) {
                    held.put(key, entry);
                }
            });
        }
        if (held.isEmpty()) {
            return;
        }
        UpstreamConnection now;
        try {
            now = current(gatewayId).map(connections::of).orElse(null);
        } catch (UpstreamException e) {
            now = null;
        }
        UpstreamConnection connection = now;
        held.forEach((key, entry) -> {
            synchronized (entry) {
                if (sessionRenewed || entry.on != connection) {
                    entry.on = null;
                }
            }
            settle(key, entry);
        });
    }
}
