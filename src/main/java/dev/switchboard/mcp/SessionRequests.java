package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.JsonRpcMessage;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.MethodNames;
import dev.switchboard.protocol.Revision;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the requests of a session. Each runs on its own virtual thread, registered under its id, so that
 * notifications/cancelled can interrupt it; the answer is one JSON response, or an SSE stream that carries what
 * the request sends the client (progress, relayed log messages and requests) before its response.
 */
@Component
class SessionRequests {

    private static final Logger log = LoggerFactory.getLogger(SessionRequests.class);

    private final McpMethods methods;

    SessionRequests(McpMethods methods) {
        this.methods = methods;
    }

    /** What became of a request: its response (null when it was cancelled), unless it was streamed already. */
    record Outcome(JsonNode response, boolean streamed) {
    }

    /** The response to {@code request} (null if it was cancelled), with {@code feedback} as the client's side. */
    JsonNode answer(CatalogView view, McpSession session, JsonRpcMessage request, CallFeedback feedback) {
        FutureTask<JsonNode> work = new FutureTask<>(() -> answerNow(view, session, request, feedback));
        start(session, request, work, null);
        return outcome(request, work);
    }

    /**
     * Answers a request of a Streamable HTTP session. For a client that accepts a stream, the answer becomes an SSE
     * stream on {@code response} as soon as the request has something to send first (progress, a relayed log
     * message, a request to the client), which this thread then writes; otherwise it is the plain response.
     * {@code elsewhere} sends a request to the client to the session's GET stream on another replica, for a client
     * that takes no stream here and has none open here.
     */
    Outcome serve(CatalogView view, McpSession session, JsonRpcMessage request, boolean acceptsStream,
                  Predicate<JsonNode> elsewhere, HttpServletResponse response) {
        SseStream stream = acceptsStream ? new SseStream() : null;
        SessionCall call = new SessionCall(session, request, stream, elsewhere);
        FutureTask<JsonNode> work = new FutureTask<>(() -> answerNow(view, session, request, call));
        start(session, request, work, () -> call.finish(outcome(request, work)));
        try {
            if (call.awaitStreamOrResponse()) {
                stream.serve(response);
                return new Outcome(null, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.cancel(true);
            return new Outcome(null, false);
        }
        return new Outcome(call.response(), false);
    }

    /** The finished work's response: null when cancelled, an internal error when it failed unexpectedly. */
    private static JsonNode outcome(JsonRpcMessage request, FutureTask<JsonNode> work) {
        try {
            return work.get();
        } catch (CancellationException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.cancel(true);
            return null;
        } catch (ExecutionException e) {
            return internalError(request, e.getCause());
        }
    }

    /**
     * Progress notifications for {@code request}, handed to {@code sink}; no feedback at all when the request
     * carries no progress token, since the client then expects none.
     */
    static CallFeedback progress(JsonRpcMessage request, String version, Consumer<JsonNode> sink) {
        JsonNode token = progressToken(request);
        if (token == null) {
            return CallFeedback.NONE;
        }
        return new CallFeedback() {
            private double last = -1;

            @Override
            public synchronized void progress(double progress, Double total, String message) {
                // The spec requires progress to rise with every notification; a report that does not is dropped.
                if (progress <= last) {
                    return;
                }
                last = progress;
                ObjectNode note = JsonRpc.notification(MethodNames.PROGRESS);
                ObjectNode params = note.putObject("params");
                params.set(MetaKeys.PROGRESS_TOKEN, token);
                params.put("progress", progress);
                if (total != null) {
                    params.put("total", total);
                }
                if (message != null && Revision.of(version).hasProgressMessages()) {
                    params.put("message", message);
                }
                sink.accept(note);
            }
        };
    }

    private static void start(McpSession session, JsonRpcMessage request, FutureTask<JsonNode> work, Runnable after) {
        if (!session.started(request.id(), work)) {
            // Ids must be unique among a session's requests in flight, or cancellation could hit the wrong one.
            throw new JsonRpcException(JsonRpc.INVALID_REQUEST,
                    "Invalid request: a request with id " + request.id() + " is already in progress");
        }
        Thread.ofVirtual().name("mcp-request").start(() -> {
            try {
                work.run();
            } finally {
                session.finished(request.id());
                if (after != null) {
                    after.run();
                }
            }
        });
    }

    /** The response to {@code request}, run on the calling thread: errors become JSON-RPC error responses. */
    JsonNode answerNow(CatalogView view, McpSession session, JsonRpcMessage request, CallFeedback feedback) {
        try {
            return JsonRpc.result(request.id(), methods.answer(view, session, session.principal(), request, feedback));
        } catch (JsonRpcException e) {
            return JsonRpc.error(request.id(), e);
        } catch (RuntimeException e) {
            return internalError(request, e);
        }
    }

    private static JsonNode internalError(JsonRpcMessage request, Throwable e) {
        // The client learns that it failed, not how: details of the failure stay in the log.
        log.error("MCP request {} failed", request.method(), e);
        return JsonRpc.error(request.id(), new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Internal error"));
    }

    private static JsonNode progressToken(JsonRpcMessage request) {
        JsonNode token = request.paramsOrEmpty().path("_meta").get(MetaKeys.PROGRESS_TOKEN);
        return token != null && (token.isString() || token.isIntegralNumber()) ? token : null;
    }
}
