package dev.switchboard.mcp;

import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.McpHeaders;
import dev.switchboard.protocol.Revision;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET on a Streamable HTTP endpoint: the session's server-to-client stream, which carries list_changed and
 * resources/updated. A client that reconnects with Last-Event-ID first gets what it missed, within the last
 * {@value McpSession#REPLAY_LIMIT} messages, whichever replica sent them ({@link StreamLog}). A new stream replaces the
 * session's earlier one.
 */
@Hidden // JSON-RPC, not REST: docs/mcp.md describes it.
@RestController
class SessionStreamEndpoint {

    private final CatalogViews views;
    private final McpSessions sessions;

    SessionStreamEndpoint(CatalogViews views, McpSessions sessions) {
        this.views = views;
        this.sessions = sessions;
    }

    @GetMapping({"/mcp", "/servers/{serverId}/mcp"})
    ResponseEntity<String> open(@PathVariable(required = false) String serverId,
                                @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                @RequestHeader(value = McpHeaders.PROTOCOL_VERSION, required = false) String version,
                                @RequestHeader(value = McpHeaders.SESSION_ID, required = false) String sessionId,
                                @RequestHeader(value = McpHeaders.LAST_EVENT_ID, required = false) String lastEventId,
                                Principal principal, HttpServletResponse response) {
        Optional<CatalogView> view = views.usableBy(serverId, principal);
        if (view.isEmpty()) {
            return McpEndpoint.noSuchServer(serverId);
        }
        if (!McpEndpoint.acceptsStream(accept)) {
            return McpEndpoint.failure(HttpStatus.NOT_ACCEPTABLE, JsonRpc.INVALID_REQUEST,
                    "Not acceptable: the Accept header must allow text/event-stream");
        }
        if (version != null && !Revision.isSessionRevision(version)) {
            return McpEndpoint.failure(HttpStatus.BAD_REQUEST, JsonRpc.INVALID_REQUEST, "Bad request: unsupported "
                    + McpHeaders.PROTOCOL_VERSION + " " + version);
        }
        if (sessionId == null) {
            return McpEndpoint.failure(HttpStatus.BAD_REQUEST, JsonRpc.INVALID_REQUEST,
                    "Bad request: no " + McpHeaders.SESSION_ID + " header; send initialize first");
        }
        Optional<McpSession> session = sessions.find(sessionId, principal.getName(), view.get().endpoint());
        if (session.isEmpty()) {
            return McpEndpoint.failure(HttpStatus.NOT_FOUND, JsonRpc.SESSION_NOT_FOUND,
                    "Session not found: initialize a new session");
        }
        SseStream stream = new SseStream();
        sessions.attach(session.get(), stream, lastEventId);
        stream.serve(response);
        return null;
    }
}
