package dev.switchboard.federation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Server-Sent Events stream, event by event, until it ends or the listener has heard enough. Each line
 * and each event's data is bounded by the {@link MessageCap}: an upstream that streams one endless line or event
 * fails with the cap's words instead of filling the memory.
 */
final class SseEvents {

    /** What to do with one event; false stops the reading (the answer is in, nothing more is wanted). */
    interface Listener {
        boolean event(String type, String data);
    }

    private final Reader reader;
    private final MessageCap cap;
    private final String upstream;
    /** A CR ended the last line: a LF right after it belongs to the same line end. */
    private boolean afterCr;

    private SseEvents(InputStream in, MessageCap cap, String upstream) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.cap = cap;
        this.upstream = upstream;
    }

    /**
     * Calls {@code listener} for every event with data; returns when the stream ends or the listener says stop.
     *
     * @throws UpstreamException when a line or an event is larger than the cap
     */
    static void read(InputStream in, MessageCap cap, String upstream, Listener listener) throws IOException {
        new SseEvents(in, cap, upstream).readAll(listener);
    }

    private void readAll(Listener listener) throws IOException {
        String type = null;
        StringBuilder data = null;
        String line;
        while ((line = readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null && !listener.event(type == null ? "message" : type, data.toString())) {
                    return;
                }
                type = null;
                data = null;
            } else if (!line.startsWith(":")) {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    type = value;
                } else if (field.equals("data")) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    if (data.length() > cap.maxBytes()) {
                        throw cap.exceeded(upstream, "an SSE event");
                    }
                }
            }
        }
        if (data != null) {
            listener.event(type == null ? "message" : type, data.toString());
        }
    }

    /** One line without its end (CRLF, LF or CR), null at the end of the stream; bounded by the cap. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = reader.read()) >= 0) {
            if (afterCr) {
                afterCr = false;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\n') {
                return line.toString();
            }
            if (c == '\r') {
                afterCr = true;
                return line.toString();
            }
            if (line.length() >= cap.maxBytes()) {
                throw cap.exceeded(upstream, "an SSE line");
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }
}
