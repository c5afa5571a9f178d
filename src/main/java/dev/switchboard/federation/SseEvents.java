package dev.switchboard.federation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads a Server-Sent Events stream, event by event, until it ends. */
final class SseEvents {

    /** What to do with one event. */
    interface Listener {
        void event(String type, String data);
    }

    private SseEvents() {
    }

    /** Calls {@code listener} for every event with data; returns when the stream ends or is closed. */
    static void read(InputStream in, Listener listener) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String type = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    listener.event(type == null ? "message" : type, data.toString());
                }
                type = null;
                data = null;
            } else if (line.startsWith(":")) {
                continue;
            } else {
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
                }
            }
        }
        if (data != null) {
            listener.event(type == null ? "message" : type, data.toString());
        }
    }
}
