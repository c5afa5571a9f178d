package dev.switchboard.mcp;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One Server-Sent Events response. Any thread may {@link #send} events; only the request's own thread writes
 * them, in {@link #serve}, which blocks (cheaply: requests run on virtual threads) until the stream is closed or
 * the client goes away. Queueing keeps writes off other threads, where the servlet response is not safe to use.
 */
final class SseStream {

    /** A client that falls this far behind is cut off rather than allowed to fill the gateway's memory. */
    static final int CAPACITY = 1_000;
    /** Comments keep idle connections open through proxies and reveal clients that have gone away. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private record Event(String id, String name, String data) {
    }

    private static final Event END = new Event(null, null, null);

    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final Duration keepAlive;
    private volatile boolean open = true;

    SseStream() {
        this(KEEP_ALIVE);
    }

    /** A stream that writes a keep-alive comment after {@code keepAlive} without events. */
    SseStream(Duration keepAlive) {
        this.keepAlive = keepAlive;
    }

    /** Queues one event; false when the stream has ended, so the caller can stop sending to it. */
    boolean send(String id, String name, String data) {
        if (!open) {
            return false;
        }
        if (queue.size() >= CAPACITY) {
            close();
            return false;
        }
        queue.add(new Event(id, name, data));
        return true;
    }

    /** Ends the stream once what is queued has been written. */
    void close() {
        if (open) {
            open = false;
            queue.add(END);
        }
    }

    boolean isOpen() {
        return open;
    }

    /** Writes the stream's headers, then every event as it comes, until it is closed or the client leaves. */
    void serve(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-cache");
        // Asks nginx and similar proxies not to buffer the stream, which would hold events back.
        response.setHeader("X-Accel-Buffering", "no");
        try {
            OutputStream out = response.getOutputStream();
            out.flush();
            while (true) {
                Event event = queue.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
                if (event == END) {
                    return;
                }
                out.write(event == null ? ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8) : encode(event));
                out.flush();
            }
        } catch (IOException e) {
            // The client went away; there is nobody left to tell.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open = false;
            queue.clear();
        }
    }

    private static byte[] encode(Event event) {
        StringBuilder text = new StringBuilder();
        if (event.id() != null) {
            text.append("id: ").append(event.id()).append('\n');
        }
        if (event.name() != null) {
            text.append("event: ").append(event.name()).append('\n');
        }
        // JSON written by Jackson holds no raw line breaks, but a data line must never contain one.
        for (String line : event.data().split("\n", -1)) {
            text.append("data: ").append(line).append('\n');
        }
        return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
