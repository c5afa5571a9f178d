package dev.switchboard.federation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP "upstream" on a raw server socket that misbehaves in one chosen way, for the deadline and cap tests.
 * Each connection is served on its own thread (named {@code misbehaving-*}, so that counting the gateway's
 * {@code upstream-*} threads leaves them out); closing the server closes every socket it accepted.
 */
final class MisbehavingUpstream implements AutoCloseable {

    /** How it misbehaves. */
    enum Mode {
        /** Accepts TCP connections and never answers anything. */
        SILENT,
        /** Answers initialize (server/discover with 404), then never answers notifications/initialized. */
        INITIALIZE_ONLY,
        /**
         * Answers server/discover (404) and initialize each after 1.4 s, then never answers
         * notifications/initialized: every step is within the request timeout, all of them together are not.
         */
        SLOW_STEPS,
        /** Sends the headers of a JSON answer, then no body. */
        HEADERS_ONLY,
        /** Answers with an SSE stream of keep-alive comments, forever, and never the answer. */
        KEEP_ALIVES,
        /** Answers with a JSON body that never ends. */
        ENDLESS_BODY,
        /** Answers with an SSE stream whose one data line never ends. */
        ENDLESS_EVENT,
        /**
         * Well-behaved but for one thing: every request is answered on an SSE stream that, after the answer, goes
         * on with keep-alives and is never ended by the server.
         */
        ANSWER_THEN_KEEP_ALIVES,
        /**
         * Well-behaved, as SDK servers are: every request is answered on an SSE stream (chunked, on a connection
         * that stays open for the next request), which ends after the answer; a tools/call's stream ends only once
         * the test says so ({@link #endOneStream}).
         */
        ANSWER_THEN_END_WHEN_TOLD,
        /**
         * Connects at once and answers ping at once, but takes 1.4 s for each page of tools/list, and always has a
         * next page: each request is within the request timeout, discovery as a whole never ends.
         */
        SLOW_PAGES
    }

    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final Mode mode;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** The streams being written that the client has not closed yet. */
    private final AtomicInteger openStreams = new AtomicInteger();
    /** Permits to end a held tools/call stream, one each ({@link Mode#ANSWER_THEN_END_WHEN_TOLD}). */
    private final Semaphore streamEnds = new Semaphore(0);

    MisbehavingUpstream(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("misbehaving-accept").start(this::accept);
    }

    int openStreams() {
        return openStreams.get();
    }

    /** How many TCP connections the gateway opened to this upstream so far. */
    int connections() {
        return sockets.size();
    }

    /** Lets one held tools/call stream end. */
    void endOneStream() {
        streamEnds.release();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/mcp";
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofVirtual().name("misbehaving-connection").start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                String request = readRequest(in);
                if (request == null) {
                    return;
                }
                if (!answer(request, out)) {
                    // Hold the connection without a word until the client or the test closes it.
                    in.transferTo(OutputStream.nullOutputStream());
                    return;
                }
            }
        } catch (IOException e) {
            // The gateway gave up on this connection: what the test expects of it.
        }
    }

    /** Answers one request; false when it is to be left unanswered (or the answer never ends). */
    private boolean answer(String request, OutputStream out) throws IOException {
        String method = find(METHOD, request);
        return switch (mode) {
            case SLOW_STEPS -> {
                if ("server/discover".equals(method) || "initialize".equals(method)) {
                    // The slowness under test: each step takes most of the request timeout.
                    pause(1400);
                    yield initializeOnly(request, method, out);
                }
                yield false;
            }
            case INITIALIZE_ONLY -> initializeOnly(request, method, out);
            case SLOW_PAGES -> slowPages(request, method, out);
            default -> misbehave(request, method, out);
        };
    }

    private boolean misbehave(String request, String method, OutputStream out) throws IOException {
        return switch (mode) {
            case SILENT, SLOW_STEPS, INITIALIZE_ONLY, SLOW_PAGES -> false;
            case HEADERS_ONLY -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
                yield false;
            }
            case KEEP_ALIVES -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
                while (true) {
                    write(out, ": keep-alive\n\n");
                    sleepBetweenKeepAlives();
                }
            }
            case ENDLESS_BODY -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"a\":\"");
                endless(out);
                yield false;
            }
            case ANSWER_THEN_KEEP_ALIVES -> answerThenKeepAlives(request, method, out);
            case ANSWER_THEN_END_WHEN_TOLD -> answerThenEnd(request, method, out);
            case ENDLESS_EVENT -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                        + "event: message\ndata: ");
                endless(out);
                yield false;
            }
        };
    }

    private static boolean initializeOnly(String request, String method, OutputStream out) throws IOException {
        if ("server/discover".equals(method)) {
            write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            return true;
        }
        if ("initialize".equals(method)) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + find(ID, request) + ",\"result\":{"
                    + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                    + "\"serverInfo\":{\"name\":\"init-only\",\"version\":\"1\"}}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: s-1\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n");
            out.write(bytes);
            out.flush();
            return true;
        }
        return false;
    }

    private static boolean slowPages(String request, String method, OutputStream out) throws IOException {
        if (request.startsWith("GET") || request.startsWith("DELETE")) {
            write(out, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
            return true;
        }
        if ("server/discover".equals(method) || "initialize".equals(method)) {
            return initializeOnly(request, method, out);
        }
        String result;
        if ("tools/list".equals(method)) {
            // The slowness under test: each page takes most of the request timeout, and there is always another.
            pause(1400);
            String page = "p" + System.nanoTime();
            result = "{\"tools\":[{\"name\":\"" + page + "\",\"inputSchema\":{\"type\":\"object\"}}],"
                    + "\"nextCursor\":\"" + page + "\"}";
        } else if ("ping".equals(method)) {
            result = "{}";
        } else {
            write(out, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
            return true;
        }
        byte[] bytes = ("{\"jsonrpc\":\"2.0\",\"id\":" + find(ID, request) + ",\"result\":" + result + "}")
                .getBytes(StandardCharsets.UTF_8);
        write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\n\r\n");
        out.write(bytes);
        out.flush();
        return true;
    }

    /** The result the streaming server answers {@code method} with, or null for a notification or a DELETE. */
    private static String streamingResult(String method) {
        return switch (method == null ? "" : method) {
            case "initialize" -> "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                    + "\"serverInfo\":{\"name\":\"streaming\",\"version\":\"1\"}}";
            case "tools/list" -> "{\"tools\":[{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}}]}";
            case "tools/call" -> "{\"content\":[{\"type\":\"text\",\"text\":\"streamed\"}]}";
            case "ping" -> "{}";
            default -> null;
        };
    }

    private boolean answerThenKeepAlives(String request, String method, OutputStream out) throws IOException {
        if (request.startsWith("GET") || "server/discover".equals(method)) {
            write(out, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
            return true;
        }
        String result = streamingResult(method);
        if (result == null) {
            // A notification, a DELETE: accepted, nothing to say.
            write(out, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
            return true;
        }
        write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nMcp-Session-Id: s-2\r\n"
                + "Connection: close\r\n\r\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + find(ID, request)
                + ",\"result\":" + result + "}\n\n");
        openStreams.incrementAndGet();
        try {
            while (true) {
                write(out, ": keep-alive\n\n");
                sleepBetweenKeepAlives();
            }
        } finally {
            openStreams.decrementAndGet();
        }
    }

    private boolean answerThenEnd(String request, String method, OutputStream out) throws IOException {
        String result = streamingResult(method);
        if (request.startsWith("GET") || "server/discover".equals(method)) {
            write(out, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
            return true;
        }
        if (result == null) {
            write(out, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
            return true;
        }
        String event = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + find(ID, request) + ",\"result\":"
                + result + "}\n\n";
        write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nMcp-Session-Id: s-3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunk(event));
        if ("tools/call".equals(method)) {
            try {
                // Held open after the answer until the test has seen the call return.
                if (!streamEnds.tryAcquire(30, TimeUnit.SECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                throw new IOException("stopped", e);
            }
        }
        write(out, "0\r\n\r\n");
        return true;
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
    }

    private static void endless(OutputStream out) throws IOException {
        byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        while (true) {
            out.write(chunk);
        }
    }

    private static void sleepBetweenKeepAlives() throws IOException {
        // Time must pass between keep-alives: a stream that trickles, not one that floods.
        pause(100);
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IOException("stopped", e);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** One request, headers and body (by Content-Length), as text; null when the client closed the connection. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while (matched < 4 && (c = in.read()) >= 0) {
            head.write(c);
            matched = (c == '\r' || c == '\n') && (matched % 2 == 0 ? c == '\r' : c == '\n') ? matched + 1 : 0;
        }
        if (matched < 4) {
            return null;
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
