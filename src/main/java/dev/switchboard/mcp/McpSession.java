package dev.switchboard.mcp;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A session opened by {@code initialize} (or, on the legacy SSE transport, by opening the stream): the revision
 * it negotiated, who opened it, on which endpoint, and its server-to-client channel. A Streamable HTTP session is
 * also stored in the registry ({@link McpSessions}), so another replica, or this one after a restart, continues it;
 * its stream, its running requests and its requests to the client live here only.
 */
final class McpSession implements ChangeWatcher, McpRequestContext {

    /** Resource subscriptions one session may hold; templates would otherwise let it name URIs without end. */
    static final int MAX_SUBSCRIPTIONS = 1000;
    /** Messages kept for a client that reconnects with Last-Event-ID; older ones are gone. */
    static final int REPLAY_LIMIT = 100;

    private record Sent(StreamLog.EventId id, String json) {
    }

    private final String id;
    private final String principal;
    private final String endpoint;
    private final String serverId;
    /** The replica holding this copy. */
    private final String replica;
    /** Begins the ids of this replica's requests to the client, so that another replica passes the answers here. */
    private final String clientRequestPrefix;
    private volatile String protocolVersion;
    private volatile String logLevel = "info";
    private volatile Instant lastUsed;
    private volatile boolean ended;
    /** Set as this replica stops: no answer of the client can reach it any more. */
    private volatile boolean stopping;
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
    private final Deque<Sent> recent = new ArrayDeque<>();
    private long lastDelivered;
    /** Numbers the messages this session sends, uniquely across replicas. */
    private final Supplier<StreamLog.EventId> eventIds;
    /** Told of each message a stream carried, so that another replica can send it again after a reconnect. */
    private volatile BiConsumer<StreamLog.EventId, String> onSent = (eventId, json) -> { };
    private SseStream stream;
    private volatile JsonNode clientCapabilities = JsonNodeFactory.instance.objectNode();
    private final AtomicLong clientRequestIds = new AtomicLong();
    private final Map<String, CompletableFuture<JsonNode>> clientRequests = new ConcurrentHashMap<>();
    /** Told when the log level or the subscriptions change, so that the stored session follows. */
    private volatile Runnable onChange = () -> { };
    /** When this replica last compared its copy with the stored session. */
    private volatile Instant checkedAt;
    /** Whether the registry holds this session: false while a session opened during an outage is not stored yet. */
    private volatile boolean stored;

    /** How the ids of requests to the client begin, before the id of the replica that sent them. */
    private static final String CLIENT_REQUEST_PREFIX = "switchboard-";

    /** A request sent to the client: its id, and the client's response (the whole message) once it arrives. */
    record ClientRequest(JsonNode id, CompletableFuture<JsonNode> answer) {
    }

    McpSession(String id, String principal, String endpoint, String serverId, String protocolVersion, Instant now,
               String replica, Supplier<StreamLog.EventId> eventIds) {
        this.id = id;
        this.replica = replica;
        this.eventIds = eventIds;
        this.clientRequestPrefix = CLIENT_REQUEST_PREFIX + replica + "-";
        this.principal = principal;
        this.endpoint = endpoint;
        this.serverId = serverId;
        this.protocolVersion = protocolVersion;
        this.lastUsed = now;
        this.checkedAt = now;
    }

    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    void onSent(BiConsumer<StreamLog.EventId, String> listener) {
        this.onSent = listener;
    }

    boolean isStored() {
        return stored;
    }

    void stored(boolean held) {
        this.stored = held;
    }

    Instant checkedAt() {
        return checkedAt;
    }

    void checked(Instant at) {
        this.checkedAt = at;
    }

    /** What adopting the stored session changed in this copy's subscriptions. */
    record Adopted(Set<String> subscribed, Set<String> unsubscribed) {
    }

    /** Takes what another replica stored for this session since this copy was made. */
    Adopted adopt(String level, Set<String> uris) {
        this.logLevel = level;
        synchronized (subscriptions) {
            Set<String> gone = new HashSet<>(subscriptions);
            gone.removeAll(uris);
            Set<String> added = new HashSet<>(uris);
            added.removeAll(subscriptions);
            subscriptions.retainAll(uris);
            subscriptions.addAll(uris);
            return new Adopted(added, gone);
        }
    }

    String id() {
        return id;
    }

    String principal() {
        return principal;
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public String protocolVersion() {
        return protocolVersion;
    }

    /** Set by initialize on the legacy transport, where the session exists before the revision is agreed. */
    void protocolVersion(String version) {
        this.protocolVersion = version;
    }

    @Override
    public String logLevel() {
        return logLevel;
    }

    void logLevel(String level) {
        this.logLevel = level;
        onChange.run();
    }

    /** Whether this session lives on the legacy HTTP+SSE transport, where everything travels on one stream. */
    boolean isLegacy() {
        return endpoint.endsWith("/sse");
    }

    /** What the client declared in initialize: which requests (sampling, elicitation, roots) it may be sent. */
    JsonNode clientCapabilities() {
        return clientCapabilities;
    }

    void clientCapabilities(JsonNode capabilities) {
        this.clientCapabilities = capabilities != null && capabilities.isObject() ? capabilities
                : JsonNodeFactory.instance.objectNode();
    }

    Instant lastUsed() {
        return lastUsed;
    }

    void touch(Instant now) {
        this.lastUsed = now;
    }

    /** Ends the session: its stream closes, its running requests are cancelled, and it stops watching. */
    void end() {
        ended = true;
        running.values().forEach(f -> f.cancel(true));
        clientRequests.values().forEach(f -> f.completeExceptionally(new IllegalStateException("session ended")));
        closeStream();
    }

    /**
     * At shutdown: the requests to the client still waiting for its answer, and any asked from now on, fail at once.
     * The answer could not arrive: a stopping replica takes no new connection, neither the client's nor another
     * replica's passing it on. The calls that asked then end with an error, within the grace period, instead of
     * holding the shutdown until it runs out.
     */
    void stopWaitingForClient() {
        stopping = true;
        clientRequests.values().forEach(f -> f.completeExceptionally(new ReplicaStopping()));
    }

    /** Why a request to the client failed: its replica is stopping. */
    static final class ReplicaStopping extends RuntimeException {
        ReplicaStopping() {
            super("this gateway replica is stopping", null, false, false);
        }
    }

    /** Closes the stream only: at shutdown, running requests may still finish within the grace period. */
    synchronized void closeStream() {
        if (stream != null) {
            stream.close();
        }
    }

    @Override
    public boolean isOpen() {
        return !ended;
    }

    // resources/subscribe and resources/unsubscribe

    /** False when the session already holds {@link #MAX_SUBSCRIPTIONS} other URIs. */
    boolean subscribe(String uri) {
        boolean added;
        synchronized (subscriptions) {
            if (subscriptions.size() >= MAX_SUBSCRIPTIONS && !subscriptions.contains(uri)) {
                return false;
            }
            added = subscriptions.add(uri);
        }
        if (added) {
            onChange.run();
        }
        return true;
    }

    void unsubscribe(String uri) {
        if (subscriptions.remove(uri)) {
            onChange.run();
        }
    }

    @Override
    public Set<String> watchedResources() {
        return Set.copyOf(subscriptions);
    }

    @Override
    public boolean wantsListChanges(ListKind kind) {
        return true;
    }

    // Requests in progress, so that notifications/cancelled can stop them.

    /** Remembers a running request under its JSON-RPC id; false if one with that id is already running. */
    boolean started(JsonNode requestId, Future<?> work) {
        return running.putIfAbsent(requestId.toString(), work) == null;
    }

    void finished(JsonNode requestId) {
        running.remove(requestId.toString());
    }

    /** Whether the request with this id is running here. */
    boolean runs(JsonNode requestId) {
        return running.containsKey(requestId.toString());
    }

    /** Cancels the request with this id if it is still running. */
    void cancel(JsonNode requestId) {
        Future<?> work = running.get(requestId.toString());
        if (work != null) {
            work.cancel(true);
        }
    }

    // Requests to the client (relayed from upstreams), answered by responses the client POSTs.

    /** A new request to the client, awaiting its response; its id is unlike any the client uses for its own. */
    ClientRequest expect() {
        String requestId = clientRequestPrefix + clientRequestIds.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        clientRequests.put(requestId, answer);
        if (stopping) {
            answer.completeExceptionally(new ReplicaStopping());
        }
        return new ClientRequest(JsonNodeFactory.instance.stringNode(requestId), answer);
    }

    /** A response from the client: completes the request it answers; one that answers nothing is ignored. */
    void answered(JsonNode response) {
        JsonNode requestId = response.get("id");
        CompletableFuture<JsonNode> answer = requestId == null || !requestId.isString() ? null
                : clientRequests.get(requestId.asString());
        if (answer != null) {
            answer.complete(response);
        }
    }

    /** The replica that sent the request to the client a response answers, if its id is one of ours. */
    static Optional<String> replicaOf(JsonNode requestId) {
        if (requestId == null || !requestId.isString() || !requestId.asString().startsWith(CLIENT_REQUEST_PREFIX)) {
            return Optional.empty();
        }
        // After the prefix, the id has the shape of an event id: the replica, then its own sequence.
        return StreamLog.EventId.parse(requestId.asString().substring(CLIENT_REQUEST_PREFIX.length()))
                .map(StreamLog.EventId::replica);
    }

    void forget(JsonNode requestId) {
        clientRequests.remove(requestId.asString());
    }

    // The server-to-client channel: the GET stream (Streamable HTTP) or the one stream of the legacy transport.

    /** Sends a message on the session's stream; kept for replay even while no stream is open. */
    @Override
    public synchronized void notify(JsonNode message) {
        String json = message.toString();
        Sent sent = new Sent(eventIds.get(), json);
        recent.addLast(sent);
        if (recent.size() > REPLAY_LIMIT) {
            recent.removeFirst();
        }
        if (stream != null) {
            if (stream.send(sent.id().toString(), "message", json)) {
                lastDelivered = sent.id().seq();
                onSent.accept(sent.id(), json);
            } else {
                stream = null;
            }
        }
    }

    /**
     * Makes {@code next} the session's stream, closing any earlier one (each message goes to one stream only).
     * With a {@code lastEventId} of this replica's, what was sent after that event is sent again first. Otherwise
     * {@code sentElsewhere} goes first: what another replica sent after the client's last event (a client that
     * reconnects here from another replica); then what no stream of this replica has carried yet (say, a change
     * announced between initialize and the first GET, or one another replica's stream carried too).
     */
    synchronized void attach(SseStream next, StreamLog.EventId lastEventId, List<StreamLog.Replayed> sentElsewhere) {
        if (stream != null) {
            stream.close();
        }
        stream = next;
        long delivered = lastDelivered;
        long after = delivered;
        if (lastEventId != null && lastEventId.replica().equals(replica)) {
            after = lastEventId.seq();
        } else {
            sentElsewhere.forEach(e -> next.send(e.id(), "message", e.message()));
        }
        long from = after;
        recent.stream().filter(s -> s.id().seq() > from).forEach(s -> {
            next.send(s.id().toString(), "message", s.json());
            if (s.id().seq() > delivered) {
                // Carried by a stream for the first time: stored as sent (an event sent again is stored already).
                onSent.accept(s.id(), s.json());
            }
        });
        if (!recent.isEmpty()) {
            lastDelivered = recent.getLast().id().seq();
        }
    }

    /** Whether a stream is open to receive what {@link #notify} sends. */
    synchronized boolean hasStream() {
        return stream != null && stream.isOpen();
    }
}
