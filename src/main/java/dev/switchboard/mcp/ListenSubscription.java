package dev.switchboard.mcp;

import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.MethodNames;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One subscriptions/listen request of revision 2026-07-28: the change notifications its filter asked for, tagged
 * with the request's id, on the SSE stream that answers it, until the client leaves or the gateway stops.
 */
final class ListenSubscription implements ChangeWatcher {

    private final String serverId;
    private final JsonNode requestId;
    private final String protocolVersion;
    private final boolean tools;
    private final boolean prompts;
    private final boolean resources;
    /** Null when the client sent no resourceSubscriptions, so the acknowledgement leaves the field out too. */
    private final Set<String> uris;
    private final SseStream stream;
    private final AtomicBoolean ended = new AtomicBoolean();

    private ListenSubscription(String serverId, JsonNode requestId, String protocolVersion, boolean tools,
                               boolean prompts, boolean resources, Set<String> uris, SseStream stream) {
        this.serverId = serverId;
        this.requestId = requestId;
        this.protocolVersion = protocolVersion;
        this.tools = tools;
        this.prompts = prompts;
        this.resources = resources;
        this.uris = uris;
        this.stream = stream;
    }

    /**
     * Reads {@code params.notifications}, the filter the spec makes required. Each field is optional and opt-in;
     * one of the wrong type is invalid params rather than silently read as "not asked for".
     */
    static ListenSubscription of(String serverId, JsonNode requestId, String protocolVersion, JsonNode params,
                                 SseStream stream) {
        JsonNode filter = params.get("notifications");
        if (filter == null || !filter.isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: \"notifications\" (an object) is required");
        }
        Set<String> uris = null;
        JsonNode subscriptions = filter.get("resourceSubscriptions");
        if (subscriptions != null) {
            if (!subscriptions.isArray() || subscriptions.valueStream().anyMatch(u -> !u.isString())) {
                throw JsonRpcException.invalidParams(
                        "Invalid params: \"notifications.resourceSubscriptions\" must be an array of strings");
            }
            uris = new LinkedHashSet<>();
            for (JsonNode uri : subscriptions) {
                uris.add(uri.asString());
            }
        }
        return new ListenSubscription(serverId, requestId, protocolVersion, flag(filter, "toolsListChanged"),
                flag(filter, "promptsListChanged"), flag(filter, "resourcesListChanged"),
                uris == null ? null : Set.copyOf(uris), stream);
    }

    private static boolean flag(JsonNode filter, String name) {
        JsonNode value = filter.get(name);
        if (value != null && !value.isBoolean()) {
            throw JsonRpcException.invalidParams("Invalid params: \"notifications." + name + "\" must be a boolean");
        }
        return value != null && value.asBoolean();
    }

    /**
     * The first message of the stream: the filter as honoured. This gateway can tell of every kind, so it is
     * what was asked for, with false flags left out (they ask for nothing) and resource URIs kept as sent.
     */
    JsonNode acknowledgement() {
        ObjectNode ack = JsonRpc.notification(MethodNames.SUBSCRIPTIONS_ACKNOWLEDGED);
        ObjectNode params = ack.putObject("params");
        params.putObject("_meta").set(MetaKeys.SUBSCRIPTION_ID, requestId);
        ObjectNode honoured = params.putObject("notifications");
        if (tools) {
            honoured.put("toolsListChanged", true);
        }
        if (prompts) {
            honoured.put("promptsListChanged", true);
        }
        if (resources) {
            honoured.put("resourcesListChanged", true);
        }
        if (uris != null) {
            uris.forEach(honoured.putArray("resourceSubscriptions")::add);
        }
        return ack;
    }

    /** Queues the acknowledgement; done before watching, so that nothing can precede it on the stream. */
    void acknowledge() {
        send(acknowledgement());
    }

    /**
     * Ends the subscription from the server's side with the result the spec defines for that: empty but for
     * resultType and the subscription id (and, as on every result, who answered).
     */
    void end() {
        // Shutdown may reach a subscription twice (see ListChanges.watch); a second result would break JSON-RPC.
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        ObjectNode result = JsonRpc.object();
        result.put("resultType", "complete");
        ObjectNode meta = result.putObject("_meta");
        meta.set(MetaKeys.SUBSCRIPTION_ID, requestId);
        meta.set(MetaKeys.SERVER_INFO, McpMethods.serverInfo(protocolVersion));
        send(JsonRpc.result(requestId, result));
        stream.close();
    }

    @Override
    public void serverStopping() {
        end();
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public boolean isOpen() {
        return stream.isOpen();
    }

    @Override
    public boolean wantsListChanges(ListKind kind) {
        return switch (kind) {
            case TOOLS -> tools;
            case PROMPTS -> prompts;
            case RESOURCES -> resources;
        };
    }

    @Override
    public Set<String> watchedResources() {
        return uris == null ? Set.of() : uris;
    }

    /** Tags the notification with the subscription id, as the spec requires of everything on a listen stream. */
    @Override
    public void notify(JsonNode notification) {
        ObjectNode tagged = (ObjectNode) notification.deepCopy();
        JsonNode params = tagged.get("params");
        ObjectNode p = params instanceof ObjectNode object ? object : tagged.putObject("params");
        JsonNode meta = p.get("_meta");
        (meta instanceof ObjectNode object ? object : p.putObject("_meta")).set(MetaKeys.SUBSCRIPTION_ID, requestId);
        send(tagged);
    }

    private void send(JsonNode message) {
        stream.send(null, "message", message.toString());
    }
}
