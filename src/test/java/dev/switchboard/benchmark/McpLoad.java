package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * MCP clients under load, for JMH: each benchmark thread is one client with a Streamable HTTP session of its own
 * (initialize, then notifications/initialized), calling in a closed loop, so the thread count is the concurrency.
 * The same code measures an upstream directly, through Switchboard and through supergateway. Every answer is checked:
 * an error answer fails the run instead of counting as a fast request.
 */
public class McpLoad {

    static final String PROTOCOL = "2025-11-25";
    /** Requests sent a second time after a broken connection, over the life of this JVM; the suite reports them. */
    static final AtomicLong RETRIES = new AtomicLong();
    private static final Pattern VERSION = Pattern.compile("\"protocolVersion\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern NEXT_CURSOR = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");
    /** Each tool of a list has exactly one input schema, so counting them counts the tools. */
    private static final Pattern INPUT_SCHEMA = Pattern.compile("\"inputSchema\"\\s*:");

    /** Where to send requests, shared by the threads of one run. */
    @State(Scope.Benchmark)
    public static class Endpoint {
        /** The MCP endpoint, e.g. http://127.0.0.1:8080/mcp. */
        @Param("")
        public String url;
        /** The Authorization header, or "" for none. */
        @Param("")
        public String authorization;
        /** The tool that tools/call calls. */
        @Param("")
        public String tool;
        /** Its arguments, as a JSON object. */
        @Param("{}")
        public String arguments;
        /** How many tools tools/list must give in all, or 0 not to check. */
        @Param("0")
        public int expectedTools;

        HttpClient http;
        URI uri;
        /** Sessions still open: the last one to end closes the client (JMH orders thread and trial teardowns freely). */
        final AtomicInteger sessions = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                    .build();
            uri = URI.create(url);
        }

        HttpRequest.Builder post(String body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (!authorization.isEmpty()) {
                request.header("Authorization", authorization);
            }
            return request;
        }
    }

    /** One client's session. */
    @State(Scope.Thread)
    public static class Session {
        String id;
        String version;
        String callBody;
        long next = 2;

        @Setup(Level.Trial)
        public void initialize(Endpoint endpoint) throws IOException, InterruptedException {
            endpoint.sessions.incrementAndGet();
            HttpResponse<String> answer = endpoint.http.send(endpoint.post("""
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},\
                    "clientInfo":{"name":"switchboard-benchmark","version":"1"}}}""".formatted(PROTOCOL)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher negotiated = VERSION.matcher(answer.body());
            if (answer.statusCode() != 200 || !negotiated.find()) {
                throw new IllegalStateException("initialize answered " + answer.statusCode() + ": " + answer.body());
            }
            version = negotiated.group(1);
            id = answer.headers().firstValue("Mcp-Session-Id").orElse(null);
            send(endpoint, """
                    {"jsonrpc":"2.0","method":"notifications/initialized"}""", 202);
            callBody = """
                    {"jsonrpc":"2.0","id":%%d,"method":"tools/call","params":{"name":"%s","arguments":%s}}"""
                    .formatted(endpoint.tool, endpoint.arguments);
        }

        @TearDown(Level.Trial)
        public void end(Endpoint endpoint) throws IOException, InterruptedException {
            try {
                endSession(endpoint);
            } finally {
                if (endpoint.sessions.decrementAndGet() == 0) {
                    endpoint.http.close();
                }
            }
        }

        private void endSession(Endpoint endpoint) throws IOException, InterruptedException {
            if (id != null) {
                // Ends the session, so a peer that holds a process per session (supergateway) lets it go.
                HttpRequest.Builder delete = HttpRequest.newBuilder(endpoint.uri).header("Mcp-Session-Id", id).DELETE();
                if (!endpoint.authorization.isEmpty()) {
                    delete.header("Authorization", endpoint.authorization);
                }
                endpoint.http.send(delete.build(), HttpResponse.BodyHandlers.discarding());
            }
        }

        String send(Endpoint endpoint, String body, int expected) throws IOException, InterruptedException {
            HttpRequest.Builder request = endpoint.post(body).header("MCP-Protocol-Version", version);
            if (id != null) {
                request.header("Mcp-Session-Id", id);
            }
            HttpResponse<String> answer;
            try {
                answer = endpoint.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // A kept-alive connection that the server closed as the request went out (seen once in a full run):
                // every HTTP client sends again on a fresh connection. A second failure is a real one.
                RETRIES.incrementAndGet();
                answer = endpoint.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            // A notification is accepted with 202; some servers answer it with 200 and an empty body.
            boolean accepted = answer.statusCode() == expected || expected == 202 && answer.statusCode() == 200;
            if (!accepted) {
                throw new IllegalStateException("answered " + answer.statusCode() + " to " + body + ": "
                        + answer.body());
            }
            return answer.body();
        }
    }

    /** tools/call of the endpoint's tool; the answer must be a result that is not an error. */
    @Benchmark
    public String toolsCall(Endpoint endpoint, Session session) throws IOException, InterruptedException {
        String answer = session.send(endpoint, session.callBody.formatted(session.next++), 200);
        if (!answer.contains("\"result\"") || answer.contains("\"isError\":true")) {
            throw new IllegalStateException("tools/call did not succeed: " + answer);
        }
        return answer;
    }

    /**
     * The whole catalog, as a client reads it: tools/list, then each further page its nextCursor names. Every page
     * must be a list of tools; the pages must hold {@code expectedTools} tools in all, when that is set.
     */
    @Benchmark
    public int toolsList(Endpoint endpoint, Session session) throws IOException, InterruptedException {
        int tools = 0;
        String cursor = null;
        do {
            String params = cursor == null ? "" : ",\"params\":{\"cursor\":\"" + cursor + "\"}";
            String answer = session.send(endpoint, """
                    {"jsonrpc":"2.0","id":%d,"method":"tools/list"%s}""".formatted(session.next++, params), 200);
            if (!answer.contains("\"tools\"")) {
                throw new IllegalStateException("tools/list did not succeed: " + answer);
            }
            tools += count(INPUT_SCHEMA, answer);
            Matcher next = NEXT_CURSOR.matcher(answer);
            cursor = next.find() ? next.group(1) : null;
        } while (cursor != null);
        if (endpoint.expectedTools > 0 && tools != endpoint.expectedTools) {
            throw new IllegalStateException("tools/list gave " + tools + " tools, not " + endpoint.expectedTools);
        }
        return tools;
    }

    private static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int found = 0;
        while (matcher.find()) {
            found++;
        }
        return found;
    }
}
