package dev.switchboard.mcp;

import dev.switchboard.invocation.ResourceSubscriptions;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.MethodNames;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Someone to tell when what an endpoint serves changes: a session with a stream, or (2026-07-28) a
 * subscriptions/listen request. {@link ListChanges} finds the changes; the watcher says which it wants.
 */
interface ChangeWatcher extends ResourceSubscriptions.Subscriber {

    /** The virtual server watched, or null for the whole catalog. */
    String serverId();

    /** False once the watcher has ended; it is then forgotten. */
    boolean isOpen();

    /** Whether the watcher asked to hear that the list of {@code kind} changed. */
    boolean wantsListChanges(ListKind kind);

    /** The resource URIs whose changes the watcher asked to hear about. */
    Set<String> watchedResources();

    /** Sends one notification (a JSON-RPC message without an id) to the client. */
    void notify(JsonNode notification);

    /** An upstream says that a resource the watcher subscribed to changed: resources/updated, as for any change. */
    @Override
    default void resourceUpdated(String uri) {
        if (isOpen() && watchedResources().contains(uri)) {
            notify(ListChanges.updated(uri));
        }
    }

    /**
     * The gateway is stopping. A watcher that holds a request open ends it here, or graceful shutdown would wait
     * for it until its timeout; the others have nothing to do.
     */
    default void serverStopping() {
    }

    /** The three lists an endpoint serves, each with its own list_changed notification. */
    enum ListKind {
        TOOLS(MethodNames.TOOLS_LIST_CHANGED),
        RESOURCES(MethodNames.RESOURCES_LIST_CHANGED),
        PROMPTS(MethodNames.PROMPTS_LIST_CHANGED);

        private final String notification;

        ListKind(String notification) {
            this.notification = notification;
        }

        String notification() {
            return notification;
        }
    }
}
