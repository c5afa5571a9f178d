package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.JsonRpcMessage;
import dev.switchboard.protocol.LogLevels;
import dev.switchboard.protocol.MethodNames;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One request of a session while it runs, seen from the client's side: what it sends the client before its
 * response. On Streamable HTTP that goes on the POST's own SSE stream, which opens only when there is something
 * to send first (otherwise the answer is plain JSON); on the legacy transport, and for a client that takes only
 * JSON, requests to the client go on the session's stream, wherever it is open: here, or on another replica.
 */
final class SessionCall implements CallFeedback {

    /** How long a request to the client (a person answering an elicitation, say) may take. */
    static final Duration CLIENT_ANSWER_TIMEOUT = Duration.ofMinutes(5);

    private final McpSession session;
    private final CallFeedback progress;
    /** The POST's stream, when the client accepts one; null on the legacy transport or for JSON-only clients. */
    private final SseStream stream;
    /** Sends a message to the session's GET stream on another replica; whether that replica took it. */
    private final Predicate<JsonNode> elsewhere;
    private boolean streaming;
    private boolean done;
    private JsonNode response;

    SessionCall(McpSession session, JsonRpcMessage request, SseStream stream, Predicate<JsonNode> elsewhere) {
        this.session = session;
        this.stream = stream;
        this.elsewhere = elsewhere;
        this.progress = SessionRequests.progress(request, session.protocolVersion(), this::send);
    }

    @Override
    public void progress(double value, Double total, String message) {
        progress.progress(value, total, message);
    }

    @Override
    public void relay(ObjectNode notification) {
        if (MethodNames.MESSAGE.equals(notification.path("method").asString(null))
                && !LogLevels.reaches(notification.path("params").path("level").asString(""), session.logLevel())) {
            return;
        }
        send(notification);
    }

    @Override
    public String logLevel() {
        return session.logLevel();
    }

    @Override
    public JsonNode ask(String method, ObjectNode params) {
        ClientCapabilities.require(session.clientCapabilities(), method);
        McpSession.ClientRequest pending = session.expect();
        ObjectNode request = JsonRpc.object().put("jsonrpc", "2.0");
        request.set("id", pending.id());
        request.put("method", method);
        request.set("params", params);
        if (stream != null) {
            send(request);
        } else if (session.hasStream() || session.isLegacy()) {
            session.notify(request);
        } else if (!elsewhere.test(request)) {
            session.forget(pending.id());
            throw refused("the client cannot be reached: it takes no stream on this request and has no"
                    + " GET stream open");
        }
        try {
            JsonNode answer = pending.answer().get(CLIENT_ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw JsonRpcException.received(answer.get("error"));
            }
            return answer.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tellClientCancelled(pending.id(), "the request that needed it was cancelled");
            throw refused("cancelled");
        } catch (TimeoutException e) {
            tellClientCancelled(pending.id(), "no answer within " + CLIENT_ANSWER_TIMEOUT.toMinutes() + " minutes");
            throw refused("the client did not answer " + method + " in time");
        } catch (ExecutionException e) {
            throw refused(e.getCause() instanceof McpSession.ReplicaStopping
                    ? "the gateway replica running this call is stopping and can no longer receive the client's"
                    + " answer to " + method + "; send the request again"
                    : "the session ended before the client answered " + method);
        } finally {
            session.forget(pending.id());
        }
    }

    /** Sends what goes to the client before the response: on the POST's stream if it takes one. */
    private synchronized void send(JsonNode message) {
        if (stream == null) {
            // The legacy transport has one stream for everything; a JSON-only client cannot hear it.
            if (session.isLegacy()) {
                session.notify(message);
            }
            return;
        }
        streaming = true;
        stream.send(null, "message", message.toString());
        notifyAll();
    }

    /** The request's response (null when it was cancelled): the last event of the stream, if one opened. */
    synchronized void finish(JsonNode answer) {
        if (streaming) {
            if (answer != null) {
                stream.send(null, "message", answer.toString());
            }
            stream.close();
        }
        response = answer;
        done = true;
        notifyAll();
    }

    /**
     * Waits until the answer is known to be a stream (true: serve {@link #stream}) or the plain response is ready
     * (false: {@link #response} holds it).
     */
    synchronized boolean awaitStreamOrResponse() throws InterruptedException {
        while (!streaming && !done) {
            wait();
        }
        return streaming;
    }

    synchronized JsonNode response() {
        return response;
    }

    private void tellClientCancelled(JsonNode id, String reason) {
        ObjectNode note = JsonRpc.notification(MethodNames.CANCELLED);
        note.putObject("params").put("reason", reason).set("requestId", id);
        if (stream != null && stream.isOpen()) {
            send(note);
        } else if (session.hasStream() || session.isLegacy() || !elsewhere.test(note)) {
            session.notify(note);
        }
    }

    /** The error the upstream that asked gets back. */
    private static JsonRpcException refused(String message) {
        return new JsonRpcException(JsonRpc.INTERNAL_ERROR, message);
    }
}
