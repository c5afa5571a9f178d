package dev.switchboard.mcp;

import dev.switchboard.catalog.CatalogCache;
import dev.switchboard.catalog.CatalogSettings;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.Resource;
import dev.switchboard.invocation.ResourceSubscriptions;
import dev.switchboard.jobs.BackgroundLoop;
import dev.switchboard.mcp.ChangeWatcher.ListKind;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.MethodNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tells watching clients when what their endpoint serves has changed: list_changed for tools, resources and
 * prompts, and resources/updated for subscribed resources. It polls the catalog's revision through
 * {@link CatalogCache}, so a change made through any replica, or by federation, is seen; only when that moves does
 * it read the watched endpoints' lists and compare them with what it saw before, so clients hear of real changes
 * only.
 *
 * <p>Resources of upstreams are also subscribed to upstream ({@link ResourceSubscriptions}) while a watcher holds
 * them, so that the upstream's own resources/updated reaches the watcher too.
 */
@Component
class ListChanges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ListChanges.class);

    private final CatalogCache cache;
    private final ResourceSubscriptions subscriptions;
    private final Duration interval;
    private final Set<ChangeWatcher> watchers = ConcurrentHashMap.newKeySet();
    /** What each watched endpoint served when last looked at, keyed by server id ("" for the whole catalog). */
    private final Map<String, ListSnapshot> seen = new HashMap<>();
    private final BackgroundLoop poller;
    private String lastRevision;
    /** Set from stop() until the next start(), so a watcher arriving during shutdown is ended at once. */
    private volatile boolean stopping;

    ListChanges(CatalogCache cache, CatalogSettings settings, ResourceSubscriptions subscriptions) {
        this.cache = cache;
        this.subscriptions = subscriptions;
        this.interval = settings.changePollInterval();
        // A database hiccup must not end the polling; the next round tries again.
        this.poller = new BackgroundLoop("mcp-list-changes", this::poll, () -> interval, log,
                "Could not check the catalog for changes: {}", "Checking the catalog for changes again");
    }

    /** Starts telling {@code watcher} about changes made from now on. */
    void watch(ChangeWatcher watcher) {
        String key = key(watcher.serverId());
        synchronized (seen) {
            // The first watcher of an endpoint fixes what "before" means for it.
            if (!seen.containsKey(key)) {
                seen.put(key, snapshot(cache.current(), watcher.serverId()));
            }
        }
        watchers.add(watcher);
        // A listen request names its resources up front; a session subscribes later, through resources/subscribe.
        for (String uri : watcher.watchedResources()) {
            subscribeUpstream(watcher, uri);
        }
        // Checked after adding, so that a watcher racing stop() is ended by one side or the other.
        if (stopping) {
            watcher.serverStopping();
        }
    }

    void unwatch(ChangeWatcher watcher) {
        watchers.remove(watcher);
        subscriptions.unsubscribeAll(watcher);
    }

    /**
     * Subscribes upstream, for {@code watcher}, to {@code uri} when an upstream serves it on the watcher's endpoint;
     * a URI the registry hosts, or one the endpoint does not serve, needs nothing upstream.
     */
    void subscribeUpstream(ChangeWatcher watcher, String uri) {
        CatalogViews.of(cache.current(), watcher.serverId())
                .flatMap(view -> ResourceMethods.source(view, uri))
                .filter(resource -> resource.gatewayId() != null)
                .map(Resource::gatewayId)
                .ifPresent(gatewayId -> subscriptions.subscribe(watcher, gatewayId, uri));
    }

    /** A session's resources/unsubscribe: the upstream's subscription goes with its last holder. */
    void unsubscribeUpstream(ChangeWatcher watcher, String uri) {
        subscriptions.unsubscribe(watcher, uri);
    }

    static ObjectNode updated(String uri) {
        ObjectNode updated = JsonRpc.notification(MethodNames.RESOURCES_UPDATED);
        updated.putObject("params").put("uri", uri);
        return updated;
    }

    /** One poll: cheap when nothing changed, which is nearly always. */
    void poll() {
        // A watcher that ended (a session closed or expired, a listen stream gone) lets go of its subscriptions.
        watchers.removeIf(w -> {
            if (w.isOpen()) {
                return false;
            }
            subscriptions.unsubscribeAll(w);
            return true;
        });
        if (watchers.isEmpty()) {
            synchronized (seen) {
                seen.clear();
            }
            lastRevision = null;
            return;
        }
        CatalogSnapshot now = cache.checked();
        if (now.revision().equals(lastRevision)) {
            return;
        }
        lastRevision = now.revision();
        Map<String, List<ChangeWatcher>> byEndpoint = watchers.stream()
                .collect(Collectors.groupingBy(w -> key(w.serverId())));
        synchronized (seen) {
            seen.keySet().retainAll(byEndpoint.keySet());
            byEndpoint.forEach((key, group) -> {
                String serverId = group.getFirst().serverId();
                ListSnapshot after = snapshot(now, serverId);
                ListSnapshot before = seen.put(key, after);
                if (before != null) {
                    group.forEach(w -> tell(w, before, after));
                }
            });
        }
    }

    private static void tell(ChangeWatcher watcher, ListSnapshot before, ListSnapshot after) {
        for (ListKind kind : ListKind.values()) {
            if (!Objects.equals(before.lists().get(kind), after.lists().get(kind)) && watcher.wantsListChanges(kind)) {
                watcher.notify(JsonRpc.notification(kind.notification()));
            }
        }
        for (String uri : watcher.watchedResources()) {
            if (!Objects.equals(before.resources().get(uri), after.resources().get(uri))) {
                watcher.notify(updated(uri));
            }
        }
    }

    private static ListSnapshot snapshot(CatalogSnapshot catalog, String serverId) {
        return CatalogViews.of(catalog, serverId).map(ListSnapshot::of).orElse(ListSnapshot.EMPTY);
    }

    private static String key(String serverId) {
        return serverId == null ? "" : serverId;
    }

    @Override
    public synchronized void start() {
        stopping = false;
        poller.start(interval);
    }

    @Override
    public synchronized void stop() {
        stopping = true;
        // Listen streams would hold graceful shutdown open until its timeout; they end before it starts.
        watchers.forEach(ChangeWatcher::serverStopping);
        poller.stop(Duration.ofSeconds(5));
    }

    @Override
    public synchronized boolean isRunning() {
        return poller.isRunning();
    }
}
