package dev.switchboard.federation;

import dev.switchboard.catalog.Transport;
import dev.switchboard.federation.UpstreamException.Kind;
import dev.switchboard.protocol.Implementation;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.MethodNames;
import dev.switchboard.protocol.Revision;
import dev.switchboard.protocol.VerbatimNumbers;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON-RPC client that every transport shares: request ids, the requests in flight, the routing of what the
 * upstream sends (responses, notifications, its own requests), progress tokens, timeouts and cancellation.
 * Transports only move messages: {@link #send} a request, {@link #deliver} a notification or a response, and
 * hand every message received to {@link #dispatch}.
 *
 * <p>Multiplexing limit: a message that arrives on a stream that all requests share (the GET stream of Streamable
 * HTTP, the legacy SSE stream, stdio) names no request, except progress (by its token) and responses (by id). A
 * logging notification or a server-to-client request arriving there goes to the single request in flight, or,
 * when several are in flight, to the oldest of them; it may really belong to another one.
 */
abstract class RpcConnection implements UpstreamConnection {

    /**
     * Fractions are read as decimals that keep their spelling, so an upstream's 1.50, 1.50e1 or
     * 12345678901234567890.5 is passed on and stored as written rather than through a double (1.5, 15.0,
     * 1.2345678901234567E19, and 1e400 as "Infinity").
     */
    static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .addModule(new VerbatimNumbers()).build();
    private static final Logger log = LoggerFactory.getLogger(RpcConnection.class);

    /** The upstream's name, for logs and error messages. */
    protected final String name;
    protected final Duration requestTimeout;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Pending> byProgressToken = new ConcurrentHashMap<>();
    /** The upstream's requests being answered, by their id as text, so that its cancellation can stop them. */
    private final Map<String, Thread> answering = new ConcurrentHashMap<>();
    protected volatile String protocolVersion;
    protected volatile ObjectNode serverInfo;
    /** Who hears the upstream's list changes and resource updates; wired by the pool once the connection is open. */
    private volatile UpstreamNotices notices = UpstreamNotices.NONE;
    /** While the connection opens, when (System.nanoTime) the whole opening must be done; 0 once it is open. */
    private volatile long openBy;

    RpcConnection(String name, Duration requestTimeout) {
        this.name = name;
        this.requestTimeout = requestTimeout;
    }

    /** Bounds every wait of the opening (probe, handshake, notifications) by one deadline, {@code by}. */
    final void openBy(long by) {
        openBy = by;
    }

    /** The opening is done: from now on each request has the whole request timeout. */
    final void opened() {
        openBy = 0;
    }

    /**
     * How long the next wait for the upstream may take: the request timeout, or what is left of the opening's
     * deadline when that is less, so that connecting never takes longer than connect + request timeout in all.
     */
    final Duration waitLimit() {
        long by = openBy;
        if (by == 0) {
            return requestTimeout;
        }
        Duration left = Duration.ofNanos(Math.max(by - System.nanoTime(), 1_000_000));
        return left.compareTo(requestTimeout) < 0 ? left : requestTimeout;
    }

    /** Sends the upstream's list changes and resource updates to {@code listener} from now on. */
    final void notices(UpstreamNotices listener) {
        notices = listener;
    }

    final UpstreamNotices notices() {
        return notices;
    }

    /** The transport actually in use, after detection. */
    abstract Transport transport();

    /** Sends {@code request}; its answer is to reach {@link #dispatch}, or {@code pending} is to fail. */
    abstract void send(ObjectNode request, Pending pending);

    /** Sends a notification or a response to the upstream, which answers nothing. */
    abstract void deliver(ObjectNode message);

    /** Whether the upstream may send requests to the client on this transport (2026-07-28 may not). */
    boolean takesServerRequests() {
        return true;
    }

    @Override
    public String protocolVersion() {
        return protocolVersion;
    }

    @Override
    public ObjectNode serverInfo() {
        return serverInfo;
    }

    @Override
    public JsonNode request(String method, ObjectNode params, UpstreamExchange exchange) {
        if (!isOpen()) {
            throw new UpstreamException(Kind.UNREACHABLE, "The connection to upstream " + name + " is closed");
        }
        return call(method, params, exchange);
    }

    /** Sends one request and waits for its answer, without checking whether the connection is ready. */
    final JsonNode call(String method, ObjectNode params, UpstreamExchange exchange) {
        long id = ids.incrementAndGet();
        ObjectNode wireParams = params == null ? null : params.deepCopy();
        JsonNode callerToken = null;
        String wireToken = null;
        // The caller's token may clash with another caller's: the wire carries one that is unique here.
        if (wireParams != null && wireParams.get("_meta") instanceof ObjectNode meta
                && meta.has(MetaKeys.PROGRESS_TOKEN)) {
            callerToken = meta.get(MetaKeys.PROGRESS_TOKEN);
            wireToken = "switchboard-" + id;
            meta.put(MetaKeys.PROGRESS_TOKEN, wireToken);
        }
        Pending request = new Pending(id, method, exchange == null ? UpstreamExchange.NONE : exchange, callerToken);
        ObjectNode message = JsonRpc.request(JsonNodeFactory.instance.numberNode(id), method, wireParams);
        pending.put(id, request);
        if (wireToken != null) {
            byProgressToken.put(wireToken, request);
        }
        try {
            send(message, request);
            return await(request);
        } finally {
            if (request.answer.isDone() && !request.answer.isCancelled()) {
                settled(request);
            }
            pending.remove(id);
            if (wireToken != null) {
                byProgressToken.remove(wireToken);
            }
        }
    }

    private JsonNode await(Pending request) {
        Duration limit = waitLimit();
        try {
            return request.answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            cancel(request, "The client cancelled the request");
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.CANCELLED, request.method + " to upstream " + name + " was cancelled");
        } catch (TimeoutException e) {
            cancel(request, "Timed out after " + UpstreamFailure.seconds(limit));
            throw new UpstreamException(Kind.TIMEOUT, "Upstream " + name + " did not answer " + request.method
                    + ": timed out after " + UpstreamFailure.seconds(limit));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpstreamException failure && failure.kind() == Kind.TIMEOUT) {
                cancel(request, "Timed out after " + UpstreamFailure.seconds(requestTimeout));
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new UpstreamException(Kind.PROTOCOL, "Upstream " + name + " failed: "
                    + UpstreamFailure.reason(e.getCause(), null), e.getCause());
        }
    }

    /**
     * The answer to {@code request} is in: whatever still streams for it is closed now rather than when the
     * upstream ends it. HTTP transports override this to let a stream that is about to end be read to its end.
     */
    void settled(Pending request) {
        request.abort();
    }

    /**
     * Tells the upstream to stop {@code request} and stops listening for it. Session revisions hear
     * notifications/cancelled; a stateless transport overrides this to abort the HTTP exchange only.
     */
    void cancel(Pending request, String reason) {
        request.answer.cancel(false);
        if (request.method.equals(MethodNames.INITIALIZE)) {
            request.abort();
            return;
        }
        ObjectNode params = object().put("requestId", request.id).put("reason", reason);
        ObjectNode cancelled = JsonRpc.notification(MethodNames.CANCELLED);
        cancelled.set("params", params);
        // Off the caller's thread: it was interrupted, and a slow upstream must not hold it.
        Thread.ofVirtual().name("upstream-cancel").start(() -> {
            try {
                deliver(cancelled);
            } catch (RuntimeException e) {
                log.debug("Upstream {}: could not send notifications/cancelled: {}", name, e.getMessage());
            } finally {
                request.abort();
            }
        });
    }

    /**
     * Routes one message from the upstream. {@code owner} is the request whose own response stream carried it, or
     * null when it came on a stream that all requests share.
     */
    final void dispatch(JsonNode message, Pending owner) {
        if (message != null && message.isArray()) {
            message.forEach(m -> dispatch(m, owner));
            return;
        }
        if (!(message instanceof ObjectNode m)) {
            log.debug("Upstream {} sent something that is not a JSON-RPC message", name);
            return;
        }
        JsonNode id = m.get("id");
        JsonNode method = m.get("method");
        if (method == null || !method.isString()) {
            answer(m, id);
        } else if (id == null || id.isNull()) {
            notified(m, method.asString(), owner);
        } else {
            requested(m, id, method.asString(), owner);
        }
    }

    /** A message received as text: parsed, or dropped when it is not JSON. */
    final void dispatch(String text, Pending owner) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JacksonException e) {
            log.debug("Upstream {} sent a message that is not JSON", name);
            if (owner != null) {
                owner.fail(new UpstreamException(Kind.PROTOCOL, "Upstream " + name + " answered with invalid JSON"));
            }
            return;
        }
        dispatch(message, owner);
    }

    private void answer(ObjectNode response, JsonNode id) {
        Pending request = id != null && id.canConvertToLong() ? pending.get(id.asLong()) : null;
        if (request == null) {
            log.debug("Upstream {} answered a request that is no longer waiting (id {})", name, id);
            return;
        }
        JsonNode error = response.get("error");
        if (error instanceof ObjectNode) {
            request.fail(JsonRpcException.received(error));
        } else if (response.has("result")) {
            request.answer.complete(response.get("result"));
        } else {
            request.fail(new UpstreamException(Kind.PROTOCOL, "Upstream " + name
                    + " answered with neither result nor error"));
        }
    }

    private void notified(ObjectNode notification, String method, Pending owner) {
        // About the upstream itself, whichever stream carried them: the gateway acts on them for all its clients.
        if (method.equals(MethodNames.TOOLS_LIST_CHANGED) || method.equals(MethodNames.RESOURCES_LIST_CHANGED)
                || method.equals(MethodNames.PROMPTS_LIST_CHANGED)) {
            hear(() -> notices.listChanged(method), method);
            return;
        }
        if (method.equals(MethodNames.RESOURCES_UPDATED)) {
            if (notification.get("params") instanceof ObjectNode params) {
                hear(() -> notices.resourceUpdated(params), method);
            }
            return;
        }
        if (method.equals(MethodNames.CANCELLED)) {
            JsonNode requestId = notification.path("params").get("requestId");
            Thread handler = requestId == null ? null : answering.get(requestId.toString());
            if (handler != null) {
                // The upstream no longer wants the client's answer: whoever waits for the client stops.
                handler.interrupt();
                return;
            }
        }
        if (method.equals(MethodNames.PROGRESS)) {
            JsonNode token = notification.path("params").get(MetaKeys.PROGRESS_TOKEN);
            Pending request = token == null ? null : byProgressToken.get(token.asString());
            if (request != null) {
                ObjectNode restored = notification.deepCopy();
                ((ObjectNode) restored.get("params")).set(MetaKeys.PROGRESS_TOKEN, request.callerToken);
                tell(request, restored);
                return;
            }
        }
        // On a request's own stream everything relates to it; on a shared stream only logging is taken for it.
        Pending target = owner != null ? owner : method.equals(MethodNames.MESSAGE) ? oldest() : null;
        if (target != null) {
            tell(target, notification);
        } else {
            log.debug("Upstream {}: {} not routed to a request", name, method);
        }
    }

    /** Hands a notice on; a failing listener must not stop the reader. */
    private void hear(Runnable notice, String method) {
        try {
            notice.run();
        } catch (RuntimeException e) {
            log.warn("Upstream {}: acting on {} failed", name, method, e);
        }
    }

    /** Hands a notification to a request's exchange; a failing listener must not stop the reader. */
    private void tell(Pending request, ObjectNode notification) {
        try {
            request.exchange.notification(notification);
        } catch (RuntimeException e) {
            log.warn("Upstream {}: relaying {} failed", name, notification.path("method").asString(), e);
        }
    }

    private void requested(ObjectNode request, JsonNode id, String method, Pending owner) {
        if (!takesServerRequests()) {
            log.debug("Upstream {} sent a request ({}), which its revision does not allow; ignored", name, method);
            return;
        }
        if (method.equals(MethodNames.PING)) {
            deliverQuietly(JsonRpc.result(id, object()));
            return;
        }
        Pending target = owner != null ? owner : oldest();
        UpstreamExchange exchange = target == null ? UpstreamExchange.NONE : target.exchange;
        ObjectNode params = request.get("params") instanceof ObjectNode p ? p : null;
        // The client's answer may take minutes (a human, a model): the reader must go on reading meanwhile.
        String key = id.toString();
        Thread handler = Thread.ofVirtual().name("upstream-client-request").unstarted(() -> {
            ObjectNode response;
            try {
                JsonNode result = exchange.clientRequest(method, params);
                response = JsonRpc.result(id, result == null ? object() : result);
            } catch (JsonRpcException e) {
                response = JsonRpc.errorResponse(id, e.error());
            } catch (RuntimeException e) {
                log.warn("Upstream {}: answering its {} failed", name, method, e);
                response = JsonRpc.errorResponse(id, new JsonRpcException(JsonRpc.INTERNAL_ERROR,
                        "The client could not answer " + method).error());
            } finally {
                answering.remove(key);
            }
            // A request the upstream cancelled gets no answer, as the cancellation rules ask.
            if (!Thread.interrupted()) {
                deliverQuietly(response);
            }
        });
        answering.put(key, handler);
        handler.start();
    }

    private void deliverQuietly(ObjectNode message) {
        try {
            deliver(message);
        } catch (RuntimeException e) {
            log.debug("Upstream {}: could not send a response: {}", name, e.getMessage());
        }
    }

    /** The request that has waited longest, which gets what a shared stream sends about no named request. */
    private Pending oldest() {
        return pending.values().stream().min(Comparator.comparingLong(p -> p.id)).orElse(null);
    }

    /** Fails every request in flight, when the transport breaks or closes. */
    final void failAll(UpstreamException failure) {
        pending.values().forEach(p -> p.fail(failure));
    }

    /**
     * What the gateway declares as a client: everything it can relay to its own clients (each of which is asked
     * only if it declared the capability itself; one that did not makes the upstream's request fail with -32601).
     */
    static ObjectNode clientCapabilities() {
        ObjectNode capabilities = JsonNodeFactory.instance.objectNode();
        capabilities.putObject("sampling");
        capabilities.putObject("elicitation");
        capabilities.putObject("roots").put("listChanged", true);
        return capabilities;
    }

    /** The session handshake: initialize offering the latest revision, then notifications/initialized. */
    final void initialize() {
        ObjectNode params = object().put("protocolVersion", Revision.LATEST_SESSION.wire());
        params.set("capabilities", clientCapabilities());
        params.set("clientInfo", clientInfo());
        JsonNode result = call(MethodNames.INITIALIZE, params, UpstreamExchange.NONE);
        String version = result.path("protocolVersion").asString(null);
        if (!(result instanceof ObjectNode info) || !Revision.isSessionRevision(version)) {
            throw new UpstreamException(Kind.PROTOCOL, "Upstream " + name + " answered initialize with protocol version "
                    + version + ", which Switchboard does not speak");
        }
        serverInfo = info;
        protocolVersion = version;
        deliver(JsonRpc.notification(MethodNames.INITIALIZED));
    }

    /** A message sent with no answer to wait for, in words: its method, or "a response". */
    static String what(ObjectNode message) {
        JsonNode method = message.get("method");
        return method != null && method.isString() ? method.asString() : "a response";
    }

    static ObjectNode clientInfo() {
        return Implementation.switchboard();
    }

    static ObjectNode object() {
        return JsonRpc.object();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + protocolVersion + "]";
    }
}
