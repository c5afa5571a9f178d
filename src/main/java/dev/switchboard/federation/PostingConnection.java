package dev.switchboard.federation;

import dev.switchboard.federation.UpstreamException.Kind;
import dev.switchboard.protocol.JsonRpcException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streamable HTTP, both eras: every request is its own POST, answered with one JSON message or with an SSE stream
 * of the request's notifications, server-to-client requests and finally its response.
 */
abstract class PostingConnection extends RpcConnection {

    /** How long a stream may go on after its answer before it is closed (SDK servers end it at once). */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(1);

    protected final HttpUpstream http;

    PostingConnection(HttpUpstream http, Duration requestTimeout) {
        super(http.name(), requestTimeout);
        this.http = http;
    }

    /** Adds the headers of the era (version, session, method, name) to a POST of {@code message}. */
    abstract void headers(HttpRequest.Builder post, ObjectNode message);

    /** Looks at the answer to {@code request} before its body; true when it has been dealt with (a 404 session). */
    boolean intercept(HttpResponse<InputStream> response, Pending request) {
        return false;
    }

    final HttpRequest post(ObjectNode message) {
        HttpRequest.Builder post = http.request()
                .header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json");
        // Headers first: a stateless upstream's adds _meta to the message, which must then be in the body.
        headers(post, message);
        return post.timeout(waitLimit()).POST(HttpRequest.BodyPublishers.ofString(message.toString(), StandardCharsets.UTF_8)).build();
    }

    @Override
    void send(ObjectNode request, Pending pending) {
        HttpRequest post;
        try {
            post = post(request);
        } catch (IllegalArgumentException e) {
            // A header the HTTP client refuses, such as a custom auth header name that is not a token.
            throw new UpstreamException(Kind.PROTOCOL, "Upstream " + name + ": the request cannot be sent ("
                    + e.getMessage() + ")");
        }
        // On its own thread, so the caller only waits on the answer and can be interrupted or time out cleanly.
        Thread worker = Thread.ofVirtual().name("upstream-post").unstarted(() -> exchange(post, pending));
        pending.worker(worker);
        worker.start();
    }

    private void exchange(HttpRequest post, Pending request) {
        HttpResponse<InputStream> response;
        try {
            response = http.client().send(post, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            request.fail(e instanceof HttpConnectTimeoutException ? http.unreachable(e)
                    : new UpstreamException(Kind.TIMEOUT, "Upstream " + name + " did not answer " + request.method
                    + ": timed out after " + UpstreamFailure.seconds(post.timeout().orElse(requestTimeout)), e));
            return;
        } catch (IOException e) {
            request.fail(http.unreachable(e));
            return;
        } catch (InterruptedException e) {
            return;
        }
        try (InputStream body = response.body()) {
            request.stream(body);
            if (intercept(response, request)) {
                return;
            }
            int status = response.statusCode();
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase();
            if (status / 100 == 2 && type.startsWith("text/event-stream")) {
                // The caller has its answer as soon as the event is read, never when the upstream ends the stream.
                SseEvents.read(body, http.cap(), name, (event, data) -> {
                    if (event.equals("message") && !data.isBlank()) {
                        dispatch(data, request);
                    }
                    return !request.answer.isDone();
                });
                if (!request.answer.isDone()) {
                    request.fail(new UpstreamException(Kind.PROTOCOL, "Upstream " + name
                            + " ended its stream without answering " + request.method));
                } else {
                    drain(body, request);
                }
            } else if (status / 100 == 2) {
                dispatch(new String(http.cap().read(body, name), StandardCharsets.UTF_8), request);
                if (!request.answer.isDone()) {
                    request.fail(new UpstreamException(Kind.PROTOCOL, "Upstream " + name
                            + " answered " + request.method + " without a response"));
                }
            } else {
                failWithStatus(request, status, body);
            }
        } catch (UpstreamException e) {
            request.fail(e);
        } catch (IOException e) {
            if (!request.aborted()) {
                request.fail(new UpstreamException(Kind.UNREACHABLE, "The connection to upstream " + name
                        + " broke: " + UpstreamFailure.reason(e, null), e));
            }
        }
    }

    /**
     * Reads what follows the answer on its stream (the end of it, with SDK servers) on this worker, while the
     * caller goes on. A stream closed before its end takes its HTTP/1.1 connection with it, so each call would pay
     * for a new one; read to its end, the connection carries the next request. A stream that goes on is closed
     * after {@link #DRAIN_GRACE} ({@link #settled}) or {@link MessageCap#maxBytes()} more bytes.
     */
    private void drain(InputStream body, Pending request) throws IOException {
        byte[] buffer = new byte[8192];
        long left = http.cap().maxBytes();
        int read;
        while (left > 0 && (read = body.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
            left -= read;
        }
        if (left > 0) {
            request.release();
        }
    }

    /** Lets the worker read the rest of an SSE answer, for a short while: see {@link #drain}. */
    @Override
    void settled(Pending request) {
        request.abortLater(DRAIN_GRACE);
    }

    /** An error status: the JSON-RPC error in the body when there is one, otherwise the status itself. */
    private void failWithStatus(Pending request, int status, InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(64 * 1024);
        JsonNode parsed = null;
        try {
            parsed = bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (JacksonException e) {
            // Not JSON: the status says it all.
        }
        if (parsed != null && parsed.get("error") instanceof ObjectNode error) {
            request.fail(JsonRpcException.received(error));
        } else {
            request.fail(new HttpStatusException(name, status, parsed != null));
        }
    }

    /** POSTs a notification or a response; the upstream answers 202 with nothing to read. */
    @Override
    void deliver(ObjectNode message) {
        http.deliver(post(message), what(message));
    }
}
