package dev.switchboard.federation;

import dev.switchboard.catalog.Transport;
import dev.switchboard.federation.UpstreamException.Kind;
import dev.switchboard.protocol.McpHeaders;
import dev.switchboard.protocol.MethodNames;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streamable HTTP of the session revisions (2025-03-26 to 2025-11-25, and 2024-11-05 servers that speak it):
 * initialize, the Mcp-Session-Id the server issues, the optional GET stream for server-initiated messages, one
 * re-initialize when the server forgets the session (404), and DELETE on close.
 */
final class StreamableHttpConnection extends PostingConnection {

    private static final Logger log = LoggerFactory.getLogger(StreamableHttpConnection.class);
    /** How often the GET stream is opened again in a row after it ends before giving up on it. */
    private static final int STREAM_RETRIES = 5;

    private final ReentrantLock handshake = new ReentrantLock();
    private volatile String sessionId;
    /** Bumped by each handshake, so that one 404 re-initializes once however many requests saw it. */
    private volatile int generation;
    private volatile boolean open = true;
    private volatile Thread getStream;
    private volatile InputStream getStreamBody;

    private StreamableHttpConnection(HttpUpstream http, Duration requestTimeout) {
        super(http, requestTimeout);
    }

    /** Connects: the handshake, then the GET stream if the server offers one. */
    static StreamableHttpConnection open(HttpUpstream http, Duration requestTimeout, long by) {
        StreamableHttpConnection connection = new StreamableHttpConnection(http, requestTimeout);
        connection.openBy(by);
        try {
            connection.handshake(0);
            connection.opened();
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    @Override
    Transport transport() {
        return Transport.STREAMABLE_HTTP;
    }

    @Override
    public JsonNode request(String method, ObjectNode params, UpstreamExchange exchange) {
        int seen = generation;
        try {
            return super.request(method, params, exchange);
        } catch (SessionExpired e) {
            log.info("Upstream {} forgot its session; initializing again", name);
            handshake(seen);
            return super.request(method, params, exchange);
        }
    }

    /** Initializes, unless another thread already did since generation {@code seen}. */
    private void handshake(int seen) {
        Duration wait = http.client().connectTimeout().orElse(Duration.ZERO).plus(requestTimeout);
        try {
            if (!handshake.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new UpstreamException(Kind.TIMEOUT, "Upstream " + name + ": timed out after "
                        + UpstreamFailure.seconds(wait) + " waiting for another request's handshake");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.CANCELLED, "Waiting for the handshake with upstream " + name
                    + " was interrupted");
        }
        try {
            if (generation != seen) {
                return;
            }
            stopGetStream();
            sessionId = null;
            protocolVersion = null;
            initialize();
            generation++;
            startGetStream();
            if (seen != 0) {
                notices().sessionRenewed();
            }
        } finally {
            handshake.unlock();
        }
    }

    @Override
    void headers(HttpRequest.Builder post, ObjectNode message) {
        String session = sessionId;
        if (session != null) {
            post.header(McpHeaders.SESSION_ID, session);
        }
        String version = protocolVersion;
        if (version != null) {
            post.header(McpHeaders.PROTOCOL_VERSION, version);
        }
    }

    @Override
    boolean intercept(HttpResponse<InputStream> response, Pending request) {
        if (request.method.equals(MethodNames.INITIALIZE)) {
            response.headers().firstValue(McpHeaders.SESSION_ID).ifPresent(id -> sessionId = id);
            return false;
        }
        if (response.statusCode() == 404 && sessionId != null) {
            request.fail(new SessionExpired());
            return true;
        }
        return false;
    }

    private void startGetStream() {
        Thread reader = Thread.ofVirtual().name("upstream-get-stream").unstarted(this::readGetStream);
        getStream = reader;
        reader.start();
    }

    private void stopGetStream() {
        Thread reader = getStream;
        getStream = null;
        if (reader != null) {
            reader.interrupt();
        }
        closeGetStreamBody();
    }

    /** The stream of server-initiated messages, opened again when it ends while the connection lives. */
    private void readGetStream() {
        int failures = 0;
        while (open && getStream == Thread.currentThread() && failures < STREAM_RETRIES) {
            HttpRequest.Builder get = http.request().header("Accept", "text/event-stream").GET();
            String session = sessionId;
            if (session != null) {
                get.header(McpHeaders.SESSION_ID, session);
            }
            get.header(McpHeaders.PROTOCOL_VERSION, protocolVersion);
            try {
                HttpResponse<InputStream> response = http.client().send(get.build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    if (response.statusCode() != 200 || !response.headers().firstValue("Content-Type").orElse("")
                            .toLowerCase().startsWith("text/event-stream")) {
                        log.debug("Upstream {} offers no GET stream (HTTP {})", name, response.statusCode());
                        return;
                    }
                    getStreamBody = body;
                    SseEvents.read(body, http.cap(), name, (event, data) -> {
                        if (event.equals("message") && !data.isBlank()) {
                            dispatch(data, null);
                        }
                        return true;
                    });
                    failures = 0;
                }
            } catch (IOException e) {
                failures++;
            } catch (UpstreamException e) {
                log.warn("Upstream {}: GET stream dropped: {}", name, e.getMessage());
                failures++;
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(Duration.ofMillis(500L * (failures + 1)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void closeGetStreamBody() {
        InputStream body = getStreamBody;
        getStreamBody = null;
        if (body != null) {
            try {
                body.close();
            } catch (IOException e) {
                // Already broken: nothing more to close.
            }
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        stopGetStream();
        failAll(new UpstreamException(Kind.UNREACHABLE, "The connection to upstream " + name + " was closed"));
        String session = sessionId;
        if (session != null) {
            // Bounded by the request timeout; whatever body the upstream sends back is not read.
            HttpRequest.Builder delete = http.request().header(McpHeaders.SESSION_ID, session).DELETE();
            if (protocolVersion != null) {
                delete.header(McpHeaders.PROTOCOL_VERSION, protocolVersion);
            }
            // Off the caller's thread: closing never waits for an upstream that does not answer.
            HttpRequest request = delete.build();
            Thread.ofVirtual().name("upstream-delete").start(() -> {
                try {
                    http.discarding(request, "the DELETE of its session");
                } catch (UpstreamException e) {
                    log.debug("Upstream {}: DELETE of the session failed: {}", name, e.getMessage());
                }
            });
        }
    }

    /** The server answered 404 for our session: it restarted or expired it. */
    static final class SessionExpired extends UpstreamException {
        SessionExpired() {
            super(Kind.UNREACHABLE, "The upstream session expired");
        }
    }
}
