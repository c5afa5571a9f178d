package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An open Server-Sent Events response, read event by event as the gateway writes them, for tests that must see
 * a stream while it is still open. Closing it drops the connection, as a client that goes away would.
 */
public final class SseReader implements AutoCloseable {

    /** One event: its id and name (null when the server sent none) and its data. */
    public record Event(String id, String name, String data) {

        public JsonNode json() {
            return JsonMapper.builder().build().readTree(data);
        }
    }

    private static final Event END = new Event(null, null, null);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseReader(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Sends a request whose answer is expected to be a stream; {@code body} null makes it a GET. */
    public static SseReader open(String url, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        request.method(body == null ? "GET" : "POST", body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return new SseReader(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The next event, waiting up to {@code seconds}; null if none came or the stream ended. */
    public Event next(int seconds) throws InterruptedException {
        Event event = events.poll(seconds, TimeUnit.SECONDS);
        if (event == END) {
            events.add(END);
            return null;
        }
        return event;
    }

    /** Every event until the server ends the stream. */
    public List<Event> rest(int seconds) throws InterruptedException {
        List<Event> all = new ArrayList<>();
        for (Event e = next(seconds); e != null; e = next(seconds)) {
            all.add(e);
        }
        return all;
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
                }
            }
        } catch (UncheckedIOException e) {
            // The connection was closed, by the server or by close().
        } finally {
            events.add(END);
        }
    }

    @Override
    public void close() {
        reader.interrupt();
        response.body().close();
    }
}
