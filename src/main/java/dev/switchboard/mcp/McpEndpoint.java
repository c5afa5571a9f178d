package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.JsonRpcMessage;
import dev.switchboard.protocol.McpHeaders;
import dev.switchboard.protocol.MethodNames;
import dev.switchboard.protocol.Revision;
import dev.switchboard.replicas.ReplicaLink;
import dev.switchboard.replicas.Replicas;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The Streamable HTTP transport, at /mcp (the whole catalog) and /servers/{id}/mcp (one virtual server). POST
 * carries messages and answers each request with one JSON response, or with an SSE stream when a tool call asks
 * for progress or a client of 2026-07-28 sends subscriptions/listen; requests of the stateless revision go to {@link StatelessHandler}, the rest belong to sessions.
 * DELETE ends a session; {@link SessionStreamEndpoint} serves GET.
 */
@Hidden // JSON-RPC, not REST: docs/mcp.md describes it; the OpenAPI document is the registry API's.
@RestController
class McpEndpoint {

    private final CatalogViews views;
    private final McpSessions sessions;
    private final SessionRequests requests;
    private final ListChanges changes;
    private final StatelessHandler stateless;
    private final ReplicaForwarding forwarding;
    private final JsonMapper json;

    McpEndpoint(CatalogViews views, McpSessions sessions, SessionRequests requests, ListChanges changes,
                StatelessHandler stateless, ReplicaForwarding forwarding, JsonMapper json) {
        this.forwarding = forwarding;
        this.views = views;
        this.sessions = sessions;
        this.requests = requests;
        this.changes = changes;
        this.stateless = stateless;
        this.json = json;
    }

    @PostMapping({"/mcp", "/servers/{serverId}/mcp"})
    ResponseEntity<String> post(@PathVariable(required = false) String serverId,
                                @RequestBody(required = false) String body,
                                @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                @RequestHeader(value = McpHeaders.PROTOCOL_VERSION, required = false) String version,
                                @RequestHeader(value = McpHeaders.SESSION_ID, required = false) String sessionId,
                                Principal principal, HttpServletRequest request,
                                HttpServletResponse response) {
        Optional<CatalogView> found = views.usableBy(serverId, principal);
        if (found.isEmpty()) {
            return noSuchServer(serverId);
        }
        CatalogView view = found.get();
        ReplicaLink.Sender sender = forwarding.senderOf(request, body);
        if (sender == ReplicaLink.Sender.FORGED) {
            return failure(HttpStatus.FORBIDDEN, JsonRpc.INVALID_REQUEST, "Forbidden: the "
                    + ReplicaLink.HEADER + " header is not a valid signature of a replica of this registry");
        }
        boolean fromClient = sender == ReplicaLink.Sender.CLIENT;
        if (!acceptsJson(accept)) {
            return failure(HttpStatus.NOT_ACCEPTABLE, JsonRpc.INVALID_REQUEST,
                    "Not acceptable: the Accept header must allow application/json");
        }
        JsonNode parsed = JsonRpc.parse(json, body);
        if (parsed == null) {
            return failure(HttpStatus.BAD_REQUEST, JsonRpc.PARSE_ERROR, "Parse error: the body is not JSON");
        }
        // Any version header but a session revision's (an unknown one included) is answered statelessly.
        if (StatelessHandler.claims(version, parsed)) {
            // Only this path reads the other headers; copying them all for every request was a measurable cost.
            Optional<Replicas.Replica> holder = fromClient ? forwarding.holderOf(parsed) : Optional.empty();
            if (holder.isPresent()) {
                return forwarding.retryOn(holder.get(), parsed, body, request, response);
            }
            HttpHeaders headers = new ServletServerHttpRequest(request).getHeaders();
            return stateless.answer(view, parsed, headers, principal.getName(), response);
        }
        if (!parsed.isArray()) {
            JsonRpcMessage message;
            try {
                message = JsonRpcMessage.of(parsed);
            } catch (JsonRpcException e) {
                return json(HttpStatus.BAD_REQUEST, JsonRpc.error(parsed.get("id"), e), null);
            }
            if (message.kind() == JsonRpcMessage.Kind.REQUEST && MethodNames.INITIALIZE.equals(message.method())) {
                return initialize(view, message, principal);
            }
        }
        if (sessionId == null) {
            return failure(HttpStatus.BAD_REQUEST, JsonRpc.INVALID_REQUEST,
                    "Bad request: no " + McpHeaders.SESSION_ID + " header; send initialize first");
        }
        // A message passed on by another replica is for a call running here, in a session held here.
        Optional<McpSession> session = fromClient ? sessions.find(sessionId, principal.getName(), view.endpoint())
                : sessions.held(sessionId, principal.getName(), view.endpoint());
        if (session.isEmpty()) {
            return failure(HttpStatus.NOT_FOUND, JsonRpc.SESSION_NOT_FOUND,
                    "Session not found: initialize a new session");
        }
        if (!fromClient && ReplicaForwarding.isForStream(request)) {
            return ReplicaForwarding.toStream(session.get(), parsed);
        }
        HttpServletRequest from = fromClient ? request : null;
        return parsed.isArray() ? batch(view, session.get(), parsed, from)
                : single(view, session.get(), parsed, acceptsStream(accept), from, response);
    }

    @DeleteMapping({"/mcp", "/servers/{serverId}/mcp"})
    ResponseEntity<String> delete(@PathVariable(required = false) String serverId,
                                  @RequestHeader(value = McpHeaders.SESSION_ID, required = false) String sessionId,
                                  Principal principal) {
        Optional<CatalogView> view = views.usableBy(serverId, principal);
        if (view.isEmpty()) {
            return noSuchServer(serverId);
        }
        if (sessionId == null) {
            return failure(HttpStatus.BAD_REQUEST, JsonRpc.INVALID_REQUEST,
                    "Bad request: no " + McpHeaders.SESSION_ID + " header");
        }
        Optional<McpSession> session = sessions.find(sessionId, principal.getName(), view.get().endpoint());
        if (session.isEmpty()) {
            return failure(HttpStatus.NOT_FOUND, JsonRpc.SESSION_NOT_FOUND, "Session not found");
        }
        sessions.end(session.get());
        return ResponseEntity.noContent().build();
    }


    private ResponseEntity<String> initialize(CatalogView view, JsonRpcMessage message, Principal principal) {
        String version;
        try {
            version = McpMethods.negotiate(message);
        } catch (JsonRpcException e) {
            return json(HttpStatus.OK, JsonRpc.error(message.id(), e), null);
        }
        McpSession session = sessions.open(principal.getName(), view.endpoint(), view.serverId(), version,
                message.paramsOrEmpty().get("capabilities"));
        // Watching from the start: what changes before the client opens its GET stream waits there for it.
        changes.watch(session);
        return json(HttpStatus.OK, JsonRpc.result(message.id(), McpMethods.initializeResult(view, version)),
                session.id());
    }

    /**
     * One message: null when the answer was streamed onto {@code response} already. {@code from} is the client's
     * request, which may be passed on to another replica; null when another replica passed it on here.
     */
    private ResponseEntity<String> single(CatalogView view, McpSession session, JsonNode node, boolean acceptsStream,
                                          HttpServletRequest from, HttpServletResponse response) {
        JsonRpcMessage message = JsonRpcMessage.of(node);
        if (message.kind() != JsonRpcMessage.Kind.REQUEST) {
            forwarding.received(session, message, from);
            return ResponseEntity.accepted().build();
        }
        try {
            // A client that takes no stream here may listen on a GET stream another replica holds.
            Predicate<JsonNode> elsewhere = from == null ? m -> false : m -> forwarding.toStreamElsewhere(m, from);
            SessionRequests.Outcome outcome = requests.serve(view, session, message, acceptsStream, elsewhere,
                    response);
            if (outcome.streamed()) {
                return null;
            }
            // A cancelled request gets no response; the POST that carried it is simply accepted.
            return outcome.response() == null ? ResponseEntity.accepted().build()
                    : json(HttpStatus.OK, outcome.response(), null);
        } catch (JsonRpcException e) {
            return json(HttpStatus.OK, JsonRpc.error(message.id(), e), null);
        }
    }

    /**
     * Notifications and responses need no answer; a cancellation stops the request it names, if still running here,
     * and a response answers the request to the client it names, if this replica sent it.
     */
    static void received(McpSession session, JsonRpcMessage message) {
        if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
            session.answered(message.body());
            return;
        }
        if (MethodNames.CANCELLED.equals(message.method())) {
            JsonNode requestId = message.paramsOrEmpty().get("requestId");
            if (requestId != null && (requestId.isString() || requestId.isIntegralNumber())) {
                session.cancel(requestId);
            }
        }
    }

    private ResponseEntity<String> batch(CatalogView view, McpSession session, JsonNode array,
                                         HttpServletRequest from) {
        if (!Revision.of(session.protocolVersion()).allowsBatches()) {
            return failure(HttpStatus.BAD_REQUEST, JsonRpc.INVALID_REQUEST, "Invalid request: revision "
                    + session.protocolVersion() + " does not accept JSON-RPC batches");
        }
        if (array.isEmpty()) {
            return failure(HttpStatus.BAD_REQUEST, JsonRpc.INVALID_REQUEST, "Invalid request: an empty batch");
        }
        List<JsonNode> answers = new ArrayList<>();
        for (JsonNode node : array) {
            JsonNode answer;
            try {
                JsonRpcMessage message = JsonRpcMessage.of(node);
                if (message.kind() != JsonRpcMessage.Kind.REQUEST) {
                    forwarding.received(session, message, from);
                    answer = null;
                } else {
                    answer = MethodNames.INITIALIZE.equals(message.method())
                            ? JsonRpc.error(message.id(), new JsonRpcException(JsonRpc.INVALID_REQUEST,
                                    "Invalid request: initialize may not be part of a batch"))
                            : requests.answerNow(view, session, message, CallFeedback.NONE);
                }
            } catch (JsonRpcException e) {
                answer = JsonRpc.error(node.get("id"), e);
            }
            if (answer != null) {
                answers.add(answer);
            }
        }
        if (answers.isEmpty()) {
            return ResponseEntity.accepted().build();
        }
        ArrayNode out = json.createArrayNode();
        answers.forEach(out::add);
        return json(HttpStatus.OK, out, null);
    }

    /** Lenient: no Accept, or one that allows JSON in any spelling, will do; SSE-only clients cannot be served. */
    private static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream().anyMatch(t -> t.includes(MediaType.APPLICATION_JSON));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the client takes an SSE stream as the answer to a POST, as the spec asks every client to. */
    static boolean acceptsStream(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream().anyMatch(t -> t.isCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                    && !t.isWildcardType());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static ResponseEntity<String> noSuchServer(String serverId) {
        return failure(HttpStatus.NOT_FOUND, JsonRpc.INVALID_REQUEST,
                "Not found: no enabled virtual server " + serverId);
    }

    /** A transport-level refusal: an HTTP error status with a JSON-RPC error body whose id is null. */
    static ResponseEntity<String> failure(HttpStatus status, int code, String message) {
        return json(status, JsonRpc.error(null, new JsonRpcException(code, message)), null);
    }

    static ResponseEntity<String> json(HttpStatus status, JsonNode body, String sessionId) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (sessionId != null) {
            response.header(McpHeaders.SESSION_ID, sessionId);
        }
        return response.body(body.toString());
    }
}
