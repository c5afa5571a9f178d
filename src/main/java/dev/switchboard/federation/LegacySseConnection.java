package dev.switchboard.federation;

import dev.switchboard.catalog.Transport;
import dev.switchboard.federation.UpstreamException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP+SSE transport of 2024-11-05: one long GET stream whose first event names the endpoint to POST messages
 * to; every answer, notification and server-to-client request arrives as a {@code message} event on that stream.
 */
final class LegacySseConnection extends RpcConnection {

    private static final Logger log = LoggerFactory.getLogger(LegacySseConnection.class);

    private final HttpUpstream http;
    private final CompletableFuture<URI> endpoint = new CompletableFuture<>();
    private volatile boolean open = true;
    private volatile Thread reader;
    private volatile InputStream stream;

    private LegacySseConnection(HttpUpstream http, Duration requestTimeout) {
        super(http.name(), requestTimeout);
        this.http = http;
    }

    /**
     * Opens the stream, waits for its endpoint event and does the handshake.
     *
     * @throws UpstreamException when the URL does not answer with an SSE stream and an endpoint
     */
    static LegacySseConnection open(HttpUpstream http, Duration requestTimeout, long by) {
        LegacySseConnection connection = new LegacySseConnection(http, requestTimeout);
        connection.openBy(by);
        try {
            connection.connect();
            connection.initialize();
            connection.opened();
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private void connect() {
        Duration limit = waitLimit();
        HttpRequest get = http.request().timeout(limit).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.client().send(get, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            // The request timeout covers the stream until its headers arrive, not the stream itself.
            throw e instanceof HttpConnectTimeoutException ? http.unreachable(e)
                    : new UpstreamException(Kind.TIMEOUT, "Upstream " + name + " did not answer the GET of its SSE"
                    + " stream: timed out after " + UpstreamFailure.seconds(limit), e);
        } catch (IOException e) {
            throw http.unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.CANCELLED, "Connecting to upstream " + name + " was interrupted");
        }
        stream = response.body();
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase();
        if (response.statusCode() != 200 || !type.startsWith("text/event-stream")) {
            throw new HttpStatusException(name, response.statusCode(), false);
        }
        Thread thread = Thread.ofVirtual().name("upstream-sse").unstarted(() -> read(response.body()));
        reader = thread;
        thread.start();
        Duration endpointLimit = waitLimit();
        try {
            URI target = endpoint.get(endpointLimit.toMillis(), TimeUnit.MILLISECONDS);
            log.debug("Upstream {} takes messages at {}", name, target.getPath());
        } catch (TimeoutException | ExecutionException e) {
            throw new UpstreamException(Kind.PROTOCOL, "Upstream " + name + " sent no endpoint event on its SSE stream"
                    + " within " + UpstreamFailure.seconds(endpointLimit));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.CANCELLED, "Connecting to upstream " + name + " was interrupted");
        }
    }

    private void read(InputStream body) {
        try (body) {
            SseEvents.read(body, http.cap(), name, (event, data) -> {
                if (event.equals("endpoint")) {
                    endpoint.complete(http.url().resolve(data.strip()));
                } else if (event.equals("message") && !data.isBlank()) {
                    dispatch(data, null);
                }
                return true;
            });
        } catch (IOException e) {
            log.debug("Upstream {}: SSE stream broke: {}", name, e.getMessage());
        } catch (UpstreamException e) {
            log.warn("{}", e.getMessage());
            failAll(e);
        }
        if (open) {
            log.info("Upstream {} ended its SSE stream", name);
        }
        open = false;
        endpoint.completeExceptionally(new IOException("stream ended"));
        failAll(new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + " closed its SSE stream"));
    }

    @Override
    Transport transport() {
        return Transport.SSE;
    }

    @Override
    void send(ObjectNode request, Pending pending) {
        // The POST is only accepted (202): the answer comes on the stream, so the caller just waits for it.
        Thread worker = Thread.ofVirtual().name("upstream-sse-post").unstarted(() -> {
            try {
                deliver(request);
            } catch (UpstreamException e) {
                pending.fail(e);
            }
        });
        pending.worker(worker);
        worker.start();
    }

    @Override
    void deliver(ObjectNode message) {
        URI target = endpoint.getNow(null);
        if (target == null) {
            throw new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + " has no message endpoint");
        }
        HttpRequest post = http.request(target).timeout(waitLimit()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(message.toString(), StandardCharsets.UTF_8)).build();
        http.deliver(post, what(message));
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        Thread thread = reader;
        if (thread != null) {
            thread.interrupt();
        }
        InputStream body = stream;
        if (body != null) {
            try {
                body.close();
            } catch (IOException e) {
                // Closing is all we wanted.
            }
        }
        failAll(new UpstreamException(Kind.UNREACHABLE, "The connection to upstream " + name + " was closed"));
    }
}
