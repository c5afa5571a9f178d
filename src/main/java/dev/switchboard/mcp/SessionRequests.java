package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the requests of a session. Each runs on its own virtual thread, registered under its id, so that
 * notifications/cancelled can interrupt it; the answer is one JSON response, or an SSE stream that carries the
 * request's progress notifications before its response.
 */
@Component
class SessionRequests {

    private static final Logger log = LoggerFactory.getLogger(SessionRequests.class);

    private final McpMethods methods;

    SessionRequests(McpMethods methods) {
        this.methods = methods;
    }

    /** Whether the answer should be a stream: only a tool call that asked for progress has something to stream. */
    static boolean wantsStream(JsonRpcMessage request) {
        return "tools/call".equals(request.method()) && progressToken(request) != null;
    }

    /** The response to {@code request}, or null if it was cancelled (a cancelled request gets no response). */
    JsonNode answer(CatalogView view, McpSession session, JsonRpcMessage request, CallFeedback feedback) {
        FutureTask<JsonNode> work = new FutureTask<>(() -> answerNow(view, session, request, feedback));
        start(session, request, work, null);
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
     * Answers {@code request} as an SSE stream on {@code response}: progress notifications, then the response.
     * The request's thread writes the stream while another runs the request.
     */
    void stream(CatalogView view, McpSession session, JsonRpcMessage request, HttpServletResponse response) {
        SseStream stream = new SseStream();
        CallFeedback feedback = progress(request, session.protocolVersion(),
                note -> stream.send(null, "message", note.toString()));
        FutureTask<JsonNode> work = new FutureTask<>(() -> answerNow(view, session, request, feedback));
        start(session, request, work, () -> {
            if (!work.isCancelled()) {
                try {
                    stream.send(null, "message", work.get().toString());
                } catch (ExecutionException e) {
                    stream.send(null, "message", internalError(request, e.getCause()).toString());
                } catch (InterruptedException | CancellationException e) {
                    // Cancelled while finishing: a cancelled request gets no response.
                }
            }
            stream.close();
        });
        stream.serve(response);
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
                ObjectNode note = JsonRpc.notification("notifications/progress");
                ObjectNode params = note.putObject("params");
                params.set("progressToken", token);
                params.put("progress", progress);
                if (total != null) {
                    params.put("total", total);
                }
                if (message != null && ProtocolVersions.atLeast(version, "2025-03-26")) {
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
            return JsonRpc.result(request.id(), methods.answer(view, session, request, feedback));
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
        JsonNode token = request.paramsOrEmpty().path("_meta").get("progressToken");
        return token != null && (token.isString() || token.isIntegralNumber()) ? token : null;
    }
}
