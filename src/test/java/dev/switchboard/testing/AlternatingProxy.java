package dev.switchboard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse proxy on loopback that sends each request to the next of its backends in turn, as a load balancer with
 * plain round-robin and no session affinity does: two requests of one client, even on one kept-alive connection, go
 * to different backends. Answers pass through as they are written, so an SSE stream stays a stream. A backend that
 * refuses the connection, or whose connection fails before any answer, is passed over for the next one, as a load
 * balancer's passive health check does: a replica stopping gracefully closes its idle kept-alive connections, and a
 * request sent on one as it closes was never read. A request that a replica killed outright had begun is sent to
 * the next one too, so it may run twice.
 */
public final class AlternatingProxy implements AutoCloseable {

    /** Headers that belong to one hop, or that the JDK's client sets itself. */
    private static final Set<String> HOP = Set.of("connection", "content-length", "host", "transfer-encoding",
            "keep-alive", "upgrade", "expect", "te", "trailer", "proxy-connection");

    /** Replaced one by one in a rolling restart, while requests go on. */
    private final List<String> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Which backend each request went to, in order: what a test checks to know the requests alternated. */
    private final List<Integer> sentTo = new CopyOnWriteArrayList<>();
    /** The backends that refused a connection or dropped it before answering: the request went to the next. */
    private final List<Integer> refused = new CopyOnWriteArrayList<>();
    /** The GET streams (200, text/event-stream) passed through, in the order they opened. */
    private final List<Stream> streams = new CopyOnWriteArrayList<>();

    /**
     * A GET stream passed through: the backend it went to, the {@code Last-Event-ID} its request carried (or null),
     * and the ids of the events the backend sent on it so far.
     */
    public record Stream(int backend, String lastEventId, List<String> eventIds) {
    }

    private AlternatingProxy(List<String> backends) throws IOException {
        this.backends = new CopyOnWriteArrayList<>(backends);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    /** A proxy in front of {@code backends} (base URLs such as http://127.0.0.1:8080). */
    public static AlternatingProxy start(List<String> backends) {
        try {
            return new AlternatingProxy(backends);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The proxy's base URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The GET streams that opened through the proxy, in order; the event ids of each grow as events pass. */
    public List<Stream> streams() {
        return List.copyOf(streams);
    }

    /** The index of the backend each request went to, in the order they came. */
    public List<Integer> sentTo() {
        return List.copyOf(sentTo);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpResponse<InputStream> answer = null;
            int chosen = -1;
            // A backend that refuses the connection (stopped, killed), or closes it before answering (stopping), is
            // passed over for the next, as a load balancer's passive health check does.
            for (int attempt = 0; attempt < backends.size() && answer == null; attempt++) {
                int backend = Math.floorMod(next.getAndIncrement(), backends.size());
                sentTo.add(backend);
                try {
                    answer = client.send(request(exchange, backends.get(backend), body),
                            HttpResponse.BodyHandlers.ofInputStream());
                    chosen = backend;
                } catch (IOException e) {
                    refused.add(backend);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                    return;
                }
            }
            if (answer == null) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            for (Map.Entry<String, List<String>> header : answer.headers().map().entrySet()) {
                if (!HOP.contains(header.getKey().toLowerCase(Locale.ROOT)) && !header.getKey().startsWith(":")) {
                    exchange.getResponseHeaders().put(header.getKey(), header.getValue());
                }
            }
            boolean empty = answer.statusCode() == 204 || answer.statusCode() == 304
                    || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : 0);
            EventIds ids = null;
            if ("GET".equals(exchange.getRequestMethod()) && answer.statusCode() == 200 && answer.headers()
                    .firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                Stream stream = new Stream(chosen, exchange.getRequestHeaders().getFirst("Last-Event-ID"),
                        new CopyOnWriteArrayList<>());
                streams.add(stream);
                ids = new EventIds(stream.eventIds());
            }
            try (InputStream in = answer.body(); OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[8192];
                int read;
                // Flushed as it comes: an SSE event reaches the client when the backend writes it.
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                    if (ids != null) {
                        ids.read(buffer, read);
                    }
                }
            } catch (IOException e) {
                // The client or the backend went away: the exchange ends.
            }
        }
    }

    /** Picks the {@code id:} lines out of an SSE stream as it passes, lines split across reads included. */
    private static final class EventIds {
        private final List<String> into;
        private final StringBuilder line = new StringBuilder();

        EventIds(List<String> into) {
            this.into = into;
        }

        void read(byte[] buffer, int length) {
            // Ids and field names are ASCII, so reading bytes as Latin-1 keeps them whole.
            for (int i = 0; i < length; i++) {
                char c = (char) (buffer[i] & 0xff);
                if (c == '\n' || c == '\r') {
                    if (line.length() > 3 && line.substring(0, 3).equals("id:")) {
                        into.add(line.substring(3).strip());
                    }
                    line.setLength(0);
                } else if (line.length() < 256) {
                    line.append(c);
                }
            }
        }
    }

    private static HttpRequest request(HttpExchange exchange, String backend, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + exchange.getRequestURI()))
                .timeout(Duration.ofMinutes(2)).method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return request.build();
    }

    /** Sends what went to backend {@code index} to {@code baseUrl} from now on: a replica restarted elsewhere. */
    public void replace(int index, String baseUrl) {
        backends.set(index, baseUrl);
    }

    /** The backends that refused a connection, one entry per refusal. */
    public List<Integer> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        client.close();
    }
}
