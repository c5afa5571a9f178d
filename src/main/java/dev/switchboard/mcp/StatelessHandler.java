package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.JsonRpcMessage;
import dev.switchboard.protocol.McpHeaders;
import dev.switchboard.protocol.McpName;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.MethodNames;
import dev.switchboard.protocol.Revision;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves POSTs of the stateless revision 2026-07-28: no initialize and no session. Each request is checked on
 * its own (its MCP headers against its body, its revision, its {@code _meta}), answered by the same method
 * handlers as a session's, and its result marked as the revision requires ({@code resultType}, cache hints and
 * the server's identity in {@code _meta}).
 */
@Component
class StatelessHandler {

    private static final Logger log = LoggerFactory.getLogger(StatelessHandler.class);
    /**
     * Freshness hints of the cacheable results. The catalog changes only when an operator edits it, and only
     * clients holding a subscriptions/listen stream hear of that at once, so a minute is a fair trade between
     * requests saved and an edit going unseen; discovery changes only with a virtual server's description or a
     * new release.
     */
    private static final Map<String, Long> TTL_MS = Map.of("tools/list", 60_000L, "prompts/list", 60_000L,
            "resources/list", 60_000L, "resources/templates/list", 60_000L, "resources/read", 60_000L,
            "server/discover", 300_000L);
    /**
     * How often a call's stream is written to while nothing happens: a client that closed it is found at the next
     * write, and its call is cancelled; listen streams, which run nothing, are probed less often.
     */
    private static final Duration CALL_KEEP_ALIVE = Duration.ofSeconds(5);
    /** Every result is for authenticated callers only, so no cache may hand it to another authorization context. */
    private static final String CACHE_SCOPE = "private";

    private final McpMethods methods;
    private final InputRounds inputs;
    private final ListChanges changes;
    private final JsonMapper json;

    StatelessHandler(McpMethods methods, InputRounds inputs, ListChanges changes, JsonMapper json) {
        this.methods = methods;
        this.inputs = inputs;
        this.changes = changes;
        this.json = json;
    }

    /**
     * Whether a POST belongs to the stateless revision: its MCP-Protocol-Version header names anything but a
     * session revision, or its {@code _meta} names a revision the header does not (including no header at all).
     * A request of a session revision (or one with neither, such as initialize) goes on as before.
     */
    static boolean claims(String versionHeader, JsonNode body) {
        String metaVersion = RequestMeta.protocolVersionOf(body);
        if (versionHeader == null) {
            return metaVersion != null;
        }
        return !Revision.isSessionRevision(versionHeader) || metaVersion != null
                && !metaVersion.equals(versionHeader);
    }

    /** The HTTP answer to one POSTed body, already parsed as JSON: null when it was streamed onto {@code response}. */
    ResponseEntity<String> answer(CatalogView view, JsonNode body, HttpHeaders headers, String principal,
                                  HttpServletResponse response) {
        if (body.isArray()) {
            return refuse(HttpStatus.BAD_REQUEST, null, new JsonRpcException(JsonRpc.INVALID_REQUEST,
                    "Invalid request: revision " + Revision.LATEST_STATELESS.wire()
                            + " does not accept JSON-RPC batches"));
        }
        JsonRpcMessage message;
        try {
            message = JsonRpcMessage.of(body);
        } catch (JsonRpcException e) {
            return refuse(HttpStatus.BAD_REQUEST, body.get("id"), e);
        }
        if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
            return refuse(HttpStatus.BAD_REQUEST, message.id(), new JsonRpcException(JsonRpc.INVALID_REQUEST,
                    "Invalid request: a client sends no responses in revision " + Revision.LATEST_STATELESS.wire()));
        }
        if (message.kind() == JsonRpcMessage.Kind.NOTIFICATION) {
            // The revision defines no client notifications over HTTP, nor headers for them; accepting is harmless.
            return ResponseEntity.accepted().build();
        }
        RequestMeta meta;
        try {
            meta = check(message, headers);
        } catch (JsonRpcException e) {
            return refuse(HttpStatus.BAD_REQUEST, message.id(), e);
        }
        if (MethodNames.SUBSCRIPTIONS_LISTEN.equals(message.method())) {
            return listen(view, meta, message, headers, response);
        }
        if (McpEndpoint.acceptsStream(String.join(",", headers.getOrEmpty(HttpHeaders.ACCEPT)))
                && asksForFeedback(message, meta)) {
            stream(view, meta, message, principal, response);
            return null;
        }
        try {
            JsonNode result = inputs.answer(principal, meta, message,
                    feedback -> methods.answer(view, meta, principal, message, feedback), null);
            return respond(HttpStatus.OK, JsonRpc.result(message.id(), mark(meta, message.method(), result)));
        } catch (JsonRpcException e) {
            // The transport has unknown methods answered with 404, so a client can tell them from a legacy 404.
            HttpStatus status = e.code() == JsonRpc.METHOD_NOT_FOUND ? HttpStatus.NOT_FOUND : HttpStatus.OK;
            return refuse(status, message.id(), e);
        } catch (RuntimeException e) {
            // The client learns that it failed, not how: details of the failure stay in the log.
            log.error("MCP request {} failed", message.method(), e);
            return refuse(HttpStatus.OK, message.id(), new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Internal error"));
        }
    }

    /** Whether the request asked to hear of its progress (a progress token) or of log messages (a level). */
    private static boolean asksForFeedback(JsonRpcMessage message, RequestMeta meta) {
        return meta.logLevel() != null || message.paramsOrEmpty().path("_meta").has(MetaKeys.PROGRESS_TOKEN);
    }

    /**
     * Answers a request whose client asked for progress or log messages and takes a stream: an SSE stream, open at
     * once, carries the notifications about the call (the progress of its token, the log messages from its level
     * up, relayed from the upstream or the gateway's own) and then the response. A client that closes the stream
     * cancels the call, as the revision defines cancellation: the call's thread is interrupted, which cancels what
     * it waits for upstream. The close is seen when a write fails, at the latest after two {@link #CALL_KEEP_ALIVE}s.
     */
    private void stream(CatalogView view, RequestMeta meta, JsonRpcMessage message, String principal,
                        HttpServletResponse response) {
        SseStream stream = new SseStream(CALL_KEEP_ALIVE);
        AtomicBoolean answered = new AtomicBoolean();
        Thread call = Thread.ofVirtual().name("mcp-stateless-stream").start(() -> {
            JsonNode answer;
            try {
                JsonNode result = inputs.answer(principal, meta, message,
                        feedback -> methods.answer(view, meta, principal, message, feedback),
                        note -> stream.send(null, "message", note.toString()));
                answer = JsonRpc.result(message.id(), mark(meta, message.method(), result));
            } catch (JsonRpcException e) {
                answer = JsonRpc.error(message.id(), e);
            } catch (RuntimeException e) {
                log.error("MCP request {} failed", message.method(), e);
                answer = JsonRpc.error(message.id(), new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Internal error"));
            }
            answered.set(true);
            stream.send(null, "message", answer.toString());
            stream.close();
        });
        try {
            stream.serve(response);
        } finally {
            if (!answered.get()) {
                // The client went away before the answer: that is how it cancels in this revision.
                call.interrupt();
            }
            stream.close();
        }
    }

    /**
     * Answers subscriptions/listen with an SSE stream that lasts until the client closes it (seen when a write, at
     * the latest the 15-second keep-alive, fails) or the gateway stops: the acknowledgement first, then each
     * change the filter asked for, as {@link ListChanges} finds it. Only then does the request's thread return.
     */
    private ResponseEntity<String> listen(CatalogView view, RequestMeta meta, JsonRpcMessage message,
                                          HttpHeaders headers, HttpServletResponse response) {
        // The answer can only be a stream; the transport requires clients to accept one, so one that does not
        // is refused rather than handed a response it said it cannot read.
        if (!McpEndpoint.acceptsStream(String.join(",", headers.getOrEmpty(HttpHeaders.ACCEPT)))) {
            return refuse(HttpStatus.NOT_ACCEPTABLE, message.id(), new JsonRpcException(JsonRpc.INVALID_REQUEST,
                    "Not acceptable: subscriptions/listen is answered with text/event-stream, which the Accept"
                            + " header must allow"));
        }
        SseStream stream = new SseStream();
        ListenSubscription subscription;
        try {
            subscription = ListenSubscription.of(view.serverId(), message.id(), meta.protocolVersion(),
                    message.paramsOrEmpty(), stream);
        } catch (JsonRpcException e) {
            return refuse(HttpStatus.OK, message.id(), e);
        }
        // Queued before watching: the spec wants the acknowledgement ahead of every notification.
        subscription.acknowledge();
        changes.watch(subscription);
        try {
            stream.serve(response);
        } finally {
            changes.unwatch(subscription);
            stream.close();
        }
        return null;
    }

    /**
     * The checks the spec asks for before a request is served, each failing with its own code: the version header
     * is required (-32020) and must name a revision we speak (-32022); Mcp-Method, and Mcp-Name where the method
     * has a name, must match the body (-32020); {@code _meta} must carry the required fields (-32602) and name
     * the header's revision (-32020).
     */
    private static RequestMeta check(JsonRpcMessage message, HttpHeaders headers) {
        String version = headers.getFirst(McpHeaders.PROTOCOL_VERSION);
        if (version == null) {
            throw mismatch("the " + McpHeaders.PROTOCOL_VERSION + " header is required");
        }
        if (!Revision.isSessionRevision(version) && !Revision.isStatelessRevision(version)) {
            throw unsupported(version);
        }
        String method = headers.getFirst(McpHeaders.METHOD);
        if (method == null) {
            throw mismatch("the " + McpHeaders.METHOD + " header is required");
        }
        if (!method.equals(message.method())) {
            throw mismatch(McpHeaders.METHOD + " header value '" + method + "' does not match body value '"
                    + message.method() + "'");
        }
        if (McpName.METHODS.contains(message.method())) {
            checkName(message, headers.getFirst(McpHeaders.NAME));
        }
        RequestMeta meta = RequestMeta.of(message.paramsOrEmpty());
        if (!meta.protocolVersion().equals(version)) {
            throw mismatch(McpHeaders.PROTOCOL_VERSION + " header value '" + version + "' does not match _meta value '"
                    + meta.protocolVersion() + "'");
        }
        if (!Revision.isStatelessRevision(version)) {
            // Header and _meta agree on a session revision only when a client puts _meta on such a request, and
            // claims() leaves those to the session path; kept so that nothing else can slip through.
            throw unsupported(version);
        }
        return meta;
    }

    private static void checkName(JsonRpcMessage message, String header) {
        JsonNode body = message.paramsOrEmpty().get(McpName.param(message.method()));
        String expected = body != null && body.isString() ? body.asString() : null;
        if (header == null && expected == null) {
            return; // nothing to mirror: the method itself reports the missing parameter
        }
        if (header == null) {
            throw mismatch("the " + McpHeaders.NAME + " header is required for " + message.method());
        }
        String name;
        try {
            name = McpName.decode(header);
        } catch (IllegalArgumentException e) {
            throw mismatch("the " + McpHeaders.NAME + " header is not valid base64");
        }
        if (!name.equals(expected)) {
            throw mismatch(McpHeaders.NAME + " header value '" + name + "' does not match body value '" + expected
                    + "'");
        }
    }

    /** Adds what every 2026-07-28 result carries, and the cache hints where the method's result is cacheable. */
    private static JsonNode mark(RequestMeta meta, String method, JsonNode result) {
        ObjectNode marked = (ObjectNode) result;
        // An input_required result (ours, or an upstream's passed on) is not the answer yet: never cacheable.
        if (marked.has("resultType") && !"complete".equals(marked.get("resultType").asString(null))) {
            return marked;
        }
        marked.put("resultType", "complete");
        Long ttl = TTL_MS.get(method);
        if (ttl != null) {
            marked.put("ttlMs", ttl);
            marked.put("cacheScope", CACHE_SCOPE);
        }
        JsonNode existing = marked.get("_meta");
        ObjectNode resultMeta = existing instanceof ObjectNode object ? object : marked.putObject("_meta");
        resultMeta.set(MetaKeys.SERVER_INFO, McpMethods.serverInfo(meta.protocolVersion()));
        return marked;
    }

    private static JsonRpcException mismatch(String message) {
        return new JsonRpcException(JsonRpc.HEADER_MISMATCH, "Header mismatch: " + message);
    }

    private static JsonRpcException unsupported(String requested) {
        ObjectNode data = JsonRpc.object();
        Revision.newestFirst().forEach(data.putArray("supported")::add);
        data.put("requested", requested);
        return new JsonRpcException(JsonRpc.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version: "
                + requested + " (the session revisions among the supported ones need initialize first)", data);
    }

    private ResponseEntity<String> refuse(HttpStatus status, JsonNode id, JsonRpcException e) {
        return respond(status, JsonRpc.error(id, e));
    }

    private ResponseEntity<String> respond(HttpStatus status, JsonNode body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsString(body));
    }
}
