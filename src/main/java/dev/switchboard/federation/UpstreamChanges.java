package dev.switchboard.federation;

import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.UpstreamGatewayRepository;
import dev.switchboard.jobs.SharedJobs;
import dev.switchboard.protocol.JsonRpcException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What upstreams say about themselves, acted on for every client. A list_changed sets off a refresh of that upstream
 * as a one-off shared job ({@code upstream-refresh:<id>}), a debounce later, so that a burst of notifications, heard
 * by every replica connected to the upstream, is one discovery on one replica; clients then hear list_changed from
 * the catalog's change polling, as for any change. A resources/updated goes to the listeners (the gateway's
 * resource subscriptions), and so does each new connection, on which upstream subscriptions must be made again.
 */
@Component
public class UpstreamChanges {

    /** The prefix of every refresh job's name; the rest is the upstream's id. */
    public static final String JOB_PREFIX = "upstream-refresh:";
    private static final Logger log = LoggerFactory.getLogger(UpstreamChanges.class);

    /** Hears of new connections and sessions, which hold none of the subscriptions made before them. */
    public interface Connections {

        /**
         * A connection to {@code gatewayId} was opened (first, or after one broke or changed), or with
         * {@code sessionRenewed} the open connection had to begin a new session.
         */
        void connected(UUID gatewayId, boolean sessionRenewed);
    }

    /** Hears an upstream's notifications/resources/updated. */
    public interface ResourceUpdates {

        /** Upstream {@code gatewayId} says that {@code uri}, which the gateway subscribed to, changed. */
        void updated(UUID gatewayId, String uri);
    }

    private final SharedJobs jobs;
    private final UpstreamGatewayRepository gateways;
    private final ObjectProvider<Discovery> discovery;
    private final Duration debounce;
    private final List<ResourceUpdates> updateListeners = new CopyOnWriteArrayList<>();
    private final List<Connections> connectListeners = new CopyOnWriteArrayList<>();
    /**
     * The list_changed heard per upstream and not yet turned into an ask: at most one thread per upstream asks, however
     * fast an upstream sends them. Bounded by the registered upstreams.
     */
    private final Map<UUID, AtomicInteger> unasked = new ConcurrentHashMap<>();

    public UpstreamChanges(SharedJobs jobs, UpstreamGatewayRepository gateways, ObjectProvider<Discovery> discovery,
                           UpstreamSettings settings) {
        this.jobs = jobs;
        this.gateways = gateways;
        this.discovery = discovery;
        this.debounce = settings.refreshDebounce();
    }

    /** The job name of an upstream's refresh. */
    public static String jobName(UUID gatewayId) {
        return JOB_PREFIX + gatewayId;
    }

    /** Adds a listener for the upstreams' resources/updated. */
    public void onResourceUpdated(ResourceUpdates listener) {
        updateListeners.add(listener);
    }

    /** Adds a listener told of each connection opened to an upstream (first, or after one broke or changed). */
    public void onConnected(Connections listener) {
        connectListeners.add(listener);
    }

    /** What the connection to {@code gateway} hands its notices to. */
    UpstreamNotices noticesFor(UpstreamGateway gateway) {
        UUID id = gateway.id();
        return new UpstreamNotices() {
            @Override
            public void listChanged(String method) {
                log.debug("Upstream {} sent {}: refreshing it", gateway.name(), method);
                heardListChanged(id);
            }

            @Override
            public void resourceUpdated(ObjectNode params) {
                if (params.get("uri") instanceof JsonNode uri && uri.isString()) {
                    for (ResourceUpdates listener : updateListeners) {
                        try {
                            listener.updated(id, uri.asString());
                        } catch (RuntimeException e) {
                            log.warn("Upstream {}: relaying resources/updated failed", gateway.name(), e);
                        }
                    }
                }
            }

            @Override
            public void sessionRenewed() {
                connected(id, true);
            }
        };
    }

    /**
     * Asks for a refresh off the reader (asking writes to the database). While one ask is under way, notifications
     * only count; the asking thread asks once more for them when it is done, so none is lost and none waits long.
     */
    private void heardListChanged(UUID gatewayId) {
        AtomicInteger count = unasked.computeIfAbsent(gatewayId, id -> new AtomicInteger());
        if (count.getAndIncrement() > 0) {
            return;
        }
        Thread.ofVirtual().name("upstream-refresh-ask").start(() -> {
            int seen;
            do {
                seen = count.get();
                requestRefresh(gatewayId);
            } while (count.addAndGet(-seen) > 0);
        });
    }

    /** A connection to {@code gatewayId} was just opened; listeners act off the opener's thread. */
    void connected(UUID gatewayId, boolean sessionRenewed) {
        if (connectListeners.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("upstream-connected").start(() -> connectListeners.forEach(l -> {
            try {
                l.connected(gatewayId, sessionRenewed);
            } catch (RuntimeException e) {
                log.warn("Acting on a new connection to upstream {} failed", gatewayId, e);
            }
        }));
    }

    /** Asks for a refresh of {@code gatewayId} one debounce from now, shared by replicas (see the class comment). */
    public void requestRefresh(UUID gatewayId) {
        try {
            jobs.runOnce(jobName(gatewayId), debounce, () -> refresh(gatewayId));
        } catch (RuntimeException e) {
            log.warn("Could not ask for a refresh of upstream {}; it waits for the next change or a manual refresh:"
                    + " {}", gatewayId, e.getMessage());
        }
    }

    /** One refresh: discovery of the upstream, if it is still registered and enabled. */
    private void refresh(UUID gatewayId) {
        Optional<UpstreamGateway> gateway = gateways.find(gatewayId).filter(UpstreamGateway::enabled);
        if (gateway.isEmpty()) {
            return;
        }
        try {
            discovery.getObject().refresh(gateway.get());
        } catch (UpstreamException | JsonRpcException e) {
            log.warn("Refresh of upstream {} ({}) after its list_changed failed: {}", gateway.get().name(),
                    gatewayId, Discovery.failure(e));
        }
    }
}
