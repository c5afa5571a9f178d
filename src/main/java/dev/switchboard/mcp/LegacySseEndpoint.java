package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.JsonRpcMessage;
import dev.switchboard.protocol.MethodNames;
import dev.switchboard.protocol.Revision;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The HTTP+SSE transport of revision 2024-11-05, for clients that predate Streamable HTTP. GET on /sse (or
 * /servers/{id}/sse) opens the session and its stream, whose first event names the message endpoint; the client
 * POSTs its messages there, each is accepted with 202, and every response travels on the stream. The session
 * lasts as long as the stream.
 */
@Hidden // JSON-RPC, not REST: docs/mcp.md describes it.
@RestController
class LegacySseEndpoint {

    private final CatalogViews views;
    private final McpSessions sessions;
    private final SessionRequests requests;
    private final ListChanges changes;
    private final JsonMapper json;

    LegacySseEndpoint(CatalogViews views, McpSessions sessions, SessionRequests requests, ListChanges changes,
                      JsonMapper json) {
        this.views = views;
        this.sessions = sessions;
        this.requests = requests;
        this.changes = changes;
        this.json = json;
    }

    @GetMapping({"/sse", "/servers/{serverId}/sse"})
    ResponseEntity<String> open(@PathVariable(required = false) String serverId, Principal principal,
                                HttpServletResponse response) {
        Optional<CatalogView> view = views.usableBy(serverId, principal);
        if (view.isEmpty()) {
            return McpEndpoint.noSuchServer(serverId);
        }
        // The revision is settled by initialize, which arrives on the message endpoint once the stream is open.
        McpSession session = sessions.open(principal.getName(), base(serverId) + "/sse", view.get().serverId(),
                Revision.V2024_11_05.wire());
        SseStream stream = new SseStream();
        stream.send(null, "endpoint", base(serverId) + "/messages?sessionId=" + session.id());
        session.attach(stream, null, List.of());
        changes.watch(session);
        try {
            stream.serve(response);
        } finally {
            sessions.end(session);
        }
        return null;
    }

    @PostMapping({"/messages", "/servers/{serverId}/messages"})
    ResponseEntity<String> message(@PathVariable(required = false) String serverId,
                                   @RequestParam(required = false) String sessionId,
                                   @RequestBody(required = false) String body, Principal principal) {
        Optional<CatalogView> found = views.usableBy(serverId, principal);
        if (found.isEmpty()) {
            return McpEndpoint.noSuchServer(serverId);
        }
        Optional<McpSession> session = sessions.find(sessionId, principal.getName(), base(serverId) + "/sse");
        if (session.isEmpty()) {
            return McpEndpoint.failure(HttpStatus.NOT_FOUND, JsonRpc.SESSION_NOT_FOUND,
                    "Session not found: open a new stream");
        }
        JsonNode parsed = JsonRpc.parse(json, body);
        if (parsed == null) {
            return McpEndpoint.failure(HttpStatus.BAD_REQUEST, JsonRpc.PARSE_ERROR, "Parse error: the body is not JSON");
        }
        CatalogView view = found.get();
        McpSession live = session.get();
        if (parsed.isArray()) {
            return batch(view, live, parsed);
        }
        JsonRpcMessage message;
        try {
            message = JsonRpcMessage.of(parsed);
        } catch (JsonRpcException e) {
            return McpEndpoint.failure(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
        }
        if (message.kind() != JsonRpcMessage.Kind.REQUEST) {
            McpEndpoint.received(live, message);
        } else if (MethodNames.INITIALIZE.equals(message.method())) {
            live.notify(initialize(view, live, message));
        } else {
            // The answer travels on the stream, so the POST is accepted at once and the request runs on.
            Thread.ofVirtual().name("mcp-legacy-request").start(() -> {
                JsonNode answer;
                try {
                    answer = requests.answer(view, live, message, new SessionCall(live, message, null, m -> false));
                } catch (JsonRpcException e) {
                    answer = JsonRpc.error(message.id(), e);
                }
                if (answer != null) {
                    live.notify(answer);
                }
            });
        }
        return ResponseEntity.accepted().build();
    }

    private static JsonNode initialize(CatalogView view, McpSession session, JsonRpcMessage message) {
        try {
            String version = McpMethods.negotiate(message);
            session.protocolVersion(version);
            session.clientCapabilities(message.paramsOrEmpty().get("capabilities"));
            return JsonRpc.result(message.id(), McpMethods.initializeResult(view, version));
        } catch (JsonRpcException e) {
            return JsonRpc.error(message.id(), e);
        }
    }

    /** A batch, where the session's revision has them: the answers go on the stream as one array. */
    private ResponseEntity<String> batch(CatalogView view, McpSession session, JsonNode array) {
        if (!Revision.of(session.protocolVersion()).allowsBatches() || array.isEmpty()) {
            return McpEndpoint.failure(HttpStatus.BAD_REQUEST, JsonRpc.INVALID_REQUEST,
                    "Invalid request: no batches in revision " + session.protocolVersion());
        }
        List<JsonNode> answers = new ArrayList<>();
        for (JsonNode node : array) {
            try {
                JsonRpcMessage message = JsonRpcMessage.of(node);
                if (message.kind() != JsonRpcMessage.Kind.REQUEST) {
                    McpEndpoint.received(session, message);
                } else {
                    answers.add(requests.answerNow(view, session, message, CallFeedback.NONE));
                }
            } catch (JsonRpcException e) {
                answers.add(JsonRpc.error(node.get("id"), e));
            }
        }
        if (!answers.isEmpty()) {
            ArrayNode out = json.createArrayNode();
            answers.forEach(out::add);
            session.notify(out);
        }
        return ResponseEntity.accepted().build();
    }


    private static String base(String serverId) {
        return serverId == null ? "" : "/servers/" + serverId;
    }
}
