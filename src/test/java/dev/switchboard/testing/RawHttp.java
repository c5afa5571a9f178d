package dev.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 written by hand onto a socket, for requests java.net.http refuses to send: a path that is not a valid URI,
 * TRACE, raw bytes in a header. One request per connection ({@code Connection: close}); the answer is read until the
 * server closes, within {@code deadline} for the whole exchange.
 */
public final class RawHttp {

    private static final int MAX_ANSWER = 1 << 20;

    private final String address;
    private final int port;
    private final Duration deadline;

    public RawHttp(int port, Duration deadline) {
        this("127.0.0.1", port, deadline);
    }

    /** Connects to {@code address} (an IP literal) rather than 127.0.0.1, e.g. to arrive from a non-loopback peer. */
    public RawHttp(String address, int port, Duration deadline) {
        this.address = address;
        this.port = port;
        this.deadline = deadline;
    }

    /** Sends {@code head} (request line and headers, each ending in CRLF, without the blank line) and {@code body}. */
    public Answer send(byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket(address, port)) {
            socket.setSoTimeout((int) deadline.toMillis());
            OutputStream out = socket.getOutputStream();
            IOException unsent = null;
            try {
                out.write(head);
                out.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before the whole body is written (a refusal needs no body).
                unsent = e;
            }
            long until = System.nanoTime() + deadline.toNanos();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                    if (System.nanoTime() > until || answer.size() > MAX_ANSWER) {
                        throw new SocketTimeoutException("no complete answer within " + deadline);
                    }
                }
            } catch (java.net.SocketException e) {
                // A reset after a refusal that did not wait for the body: what arrived before it is the answer.
                if (unsent == null || answer.size() == 0) {
                    throw e;
                }
            }
            if (answer.size() == 0 && unsent != null) {
                throw unsent;
            }
            return Answer.parse(answer.toByteArray());
        }
    }

    /** Sends a request built from text: method, target (as it goes on the wire), headers as name, value pairs. */
    public Answer send(String method, String target, String body, String... headers) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        return send(head.toString().getBytes(StandardCharsets.ISO_8859_1), bytes);
    }

    /** A response: status, headers and the body with any chunked framing removed. */
    public record Answer(int status, List<String[]> headers, String body) {

        static Answer parse(byte[] whole) {
            byte[] raw = whole;
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            // Interim answers (100 Continue) come before the final one.
            while (text.startsWith("HTTP/1.1 1") && text.indexOf("\r\n\r\n") > 0) {
                int interimEnd = text.indexOf("\r\n\r\n") + 4;
                raw = java.util.Arrays.copyOfRange(raw, interimEnd, raw.length);
                text = text.substring(interimEnd);
            }
            int end = text.indexOf("\r\n\r\n");
            if (end < 0 || !text.startsWith("HTTP/1.1 ")) {
                throw new IllegalStateException("not an HTTP response: " + text.substring(0, Math.min(200, text.length())));
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].substring(9, 12));
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
            }
            byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
            Answer partial = new Answer(status, headers, "");
            if ("chunked".equalsIgnoreCase(partial.header("Transfer-Encoding"))) {
                body = unchunk(body);
            }
            return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static byte[] unchunk(byte[] body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < body.length) {
                int lineEnd = at;
                while (lineEnd + 1 < body.length && !(body[lineEnd] == '\r' && body[lineEnd + 1] == '\n')) {
                    lineEnd++;
                }
                String sizeText = new String(body, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
                int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
                if (size == 0) {
                    break;
                }
                int start = lineEnd + 2;
                out.write(body, start, Math.min(size, body.length - start));
                at = start + size + 2;
            }
            return out.toByteArray();
        }

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
        }

        /** The media type of the body, lower case and without parameters, or "" without one. */
        public String mediaType() {
            String type = header("Content-Type");
            return type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        }
    }
}
