package dev.switchboard.federation;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** One request in flight to an upstream: who hears about it, its answer to come, and how to abort its exchange. */
final class Pending {

    final long id;
    final String method;
    final UpstreamExchange exchange;
    /** The caller's own progress token, put back into the progress notifications relayed to it. */
    final JsonNode callerToken;
    final CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    private volatile Thread worker;
    private volatile Closeable stream;
    private volatile boolean aborted;
    /** The response stream was read to its end: nothing is left to abort, and its connection went back to the pool. */
    private volatile boolean released;

    Pending(long id, String method, UpstreamExchange exchange, JsonNode callerToken) {
        this.id = id;
        this.method = method;
        this.exchange = exchange;
        this.callerToken = callerToken;
    }

    void fail(RuntimeException failure) {
        answer.completeExceptionally(failure);
    }

    /** The thread carrying this request's HTTP exchange, interrupted on abort. */
    void worker(Thread thread) {
        worker = thread;
        if (aborted) {
            thread.interrupt();
        }
    }

    /** The response body being read for this request, closed on abort. */
    void stream(Closeable body) {
        stream = body;
        if (aborted) {
            closeQuietly(body);
        }
    }

    /** Stops the transport-level exchange of this request, if it has one: the response stream is closed. */
    void abort() {
        aborted = true;
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
        }
        Closeable body = stream;
        if (body != null) {
            closeQuietly(body);
        }
    }

    /** The response stream was read to its end; a later {@link #abortLater} leaves it alone. */
    void release() {
        released = true;
        stream = null;
    }

    /**
     * Aborts after {@code grace} unless the stream was released by then: the worker may read a stream that goes on
     * after the answer to its end (so that its HTTP connection can carry the next request), but not for ever.
     */
    void abortLater(Duration grace) {
        if (released) {
            return;
        }
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!released) {
                abort();
            }
        });
    }

    boolean aborted() {
        return aborted;
    }

    private static void closeQuietly(Closeable body) {
        try {
            body.close();
        } catch (IOException e) {
            // Closing is the abort itself; a failure to close changes nothing for the caller.
        }
    }
}
