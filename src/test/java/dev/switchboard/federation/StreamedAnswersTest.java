package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.RecordingFilter;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.UpstreamServers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * 2026-07-28 answers stream: a client that accepts text/event-stream and asks for progress or log messages gets
 * them on the POST's own stream, then the result; closing that stream cancels the call upstream; the log level a
 * client asks for reaches a 2026-07-28 upstream in {@code _meta}, a session client's included. Upstreams are the
 * SDK test server and, as the 2026-07-28 upstream, a second Switchboard that federates it.
 */
class StreamedAnswersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RecordingFilter SEEN = new RecordingFilter();
    private static UpstreamServers.Http sdk;
    private static GatewayUnderTest inner;
    private static String innerSlug;

    @BeforeAll
    static void start() {
        sdk = UpstreamServers.streamable(SEEN);
        inner = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
        innerSlug = FederationProxyTest.register(inner, Map.of("url", sdk.url()));
    }

    @AfterAll
    static void stop() {
        inner.close();
        sdk.close();
    }

    @EngineTest
    void aStreamedCallCarriesItsProgressAndLogsThenItsResult(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        String slug = FederationProxyTest.register(gateway, Map.of("url", sdk.url()));

        Reply progressed = call(gateway, slug + ".progress", Map.of("progressToken", "p-1"));
        assertThat(progressed.contentType()).as(progressed.toString()).startsWith("text/event-stream");
        List<JsonNode> events = events(progressed);
        assertThat(events).hasSize(3);
        assertThat(events.subList(0, 2)).allSatisfy(e -> {
            assertThat(e.path("method").asString()).isEqualTo("notifications/progress");
            assertThat(e.at("/params/progressToken").asString()).isEqualTo("p-1");
        });
        assertThat(events.get(0).at("/params/progress").asDouble()).isEqualTo(1.0);
        assertThat(events.get(0).at("/params/message").asString()).isEqualTo("half");
        assertThat(events.get(1).at("/params/progress").asDouble()).isEqualTo(2.0);
        assertThat(events.get(2).at("/result/content/0/text").asString()).isEqualTo("done");
        assertThat(events.get(2).at("/result/resultType").asString()).isEqualTo("complete");

        List<JsonNode> logged = events(call(gateway, slug + ".log", Map.of(LOG_LEVEL, "info")));
        assertThat(logged).hasSize(2);
        assertThat(logged.get(0).path("method").asString()).isEqualTo("notifications/message");
        assertThat(logged.get(0).at("/params/level").asString()).isEqualTo("warning");
        assertThat(logged.get(0).at("/params/data").asString()).isEqualTo("upstream says hi");
        assertThat(logged.get(1).at("/result/content/0/text").asString()).isEqualTo("logged");

        // Below the level the client named, the message is not sent; the stream carries the result alone.
        List<JsonNode> quiet = events(call(gateway, slug + ".log", Map.of(LOG_LEVEL, "error")));
        assertThat(quiet).hasSize(1);
        assertThat(quiet.getFirst().at("/result/content/0/text").asString()).isEqualTo("logged");

        // A client that asked for neither gets the plain JSON answer, as before.
        Reply plain = call(gateway, slug + ".log", Map.of());
        assertThat(plain.contentType()).startsWith("application/json");
        assertThat(plain.json().at("/result/content/0/text").asString()).isEqualTo("logged");
    }

    /**
     * Closing the stream cancels the call: a session upstream (the SDK server) hears notifications/cancelled; a
     * 2026-07-28 upstream (the second Switchboard) has its own stream closed, and so cancels towards the SDK server
     * behind it in turn.
     */
    @EngineTest
    void closingTheStreamCancelsTheCallUpstream(TestEngine engine) throws Exception {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        closeAndSeeCancelled(gateway, FederationProxyTest.register(gateway, Map.of("url", sdk.url())) + ".slow");
        String viaInner = FederationProxyTest.register(gateway, Map.of("url", inner.baseUrl() + "/mcp", "auth",
                Map.of("type", "bearer", "token", inner.jwt("federation", "mcp:use"))));
        closeAndSeeCancelled(gateway, viaInner + "." + innerSlug + ".slow");
    }

    private static void closeAndSeeCancelled(GatewayUnderTest gateway, String tool) throws Exception {
        long cancelledBefore = cancellations();
        long slowBefore = slowCalls();
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/mcp"))
                .header("Authorization", gateway.admin().authorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request(tool,
                        Map.of("seconds", 60), Map.of("progressToken", "slow-1")))));
        headers(tool).forEach(post::header);
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(post.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> slowCalls() > slowBefore);
        response.body().close();
        // The gateway sees the client gone at its next write (a keep-alive within seconds), and cancels upstream;
        // through the second Switchboard that happens twice.
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> cancellations() > cancelledBefore);
    }

    /**
     * The 2026-07-28 upstream (the second Switchboard) sends log messages only for a request that names a level:
     * a session client's level, set with logging/setLevel, travels there in _meta, and the upstream's log message
     * comes back to the session client; a 2026-07-28 client's own level travels the same way.
     */
    @EngineTest
    void theLogLevelReachesA2026UpstreamInMeta(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        String slug = FederationProxyTest.register(gateway, Map.of("url", inner.baseUrl() + "/mcp", "auth",
                Map.of("type", "bearer", "token", inner.jwt("federation", "mcp:use"))));
        String log = slug + "." + innerSlug + ".log";
        List<Object> heard = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = FederationProxyTest.client(gateway, "2025-11-25", heard)) {
            client.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);
            assertThat(client.callTool(McpSchema.CallToolRequest.builder().name(log).arguments(Map.of()).build())
                    .content()).containsExactly(new McpSchema.TextContent("logged"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> heard.stream().anyMatch(n -> n instanceof McpSchema.LoggingMessageNotification m
                            && "upstream says hi".equals(m.data())));
        }
        List<JsonNode> warned = events(call(gateway, log, Map.of(LOG_LEVEL, "warning")));
        assertThat(warned).extracting(e -> e.path("method").asString(""))
                .containsExactly("notifications/message", "");
        assertThat(warned.getFirst().at("/params/data").asString()).isEqualTo("upstream says hi");
        // "error" travels as well: the upstream leaves out its warning.
        List<JsonNode> quiet = events(call(gateway, log, Map.of(LOG_LEVEL, "error")));
        assertThat(quiet).hasSize(1);
        assertThat(quiet.getFirst().at("/result/content/0/text").asString()).isEqualTo("logged");
    }

    private static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";

    /** A 2026-07-28 tools/call of {@code tool} with {@code meta} added to the revision's own {@code _meta}. */
    private static Reply call(GatewayUnderTest gateway, String tool, Map<String, Object> meta) {
        Reply reply = gateway.admin().send("POST", "/mcp", request(tool, Map.of(), meta), headers(tool));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply;
    }

    private static Map<String, Object> request(String tool, Map<String, Object> arguments, Map<String, Object> meta) {
        Map<String, Object> all = new LinkedHashMap<>(meta);
        all.put("io.modelcontextprotocol/protocolVersion", "2026-07-28");
        all.put("io.modelcontextprotocol/clientCapabilities", Map.of());
        return Map.of("jsonrpc", "2.0", "id", 7, "method", "tools/call", "params",
                Map.of("name", tool, "arguments", arguments, "_meta", all));
    }

    private static Map<String, String> headers(String tool) {
        return Map.of("Accept", "application/json, text/event-stream", "MCP-Protocol-Version", "2026-07-28",
                "Mcp-Method", "tools/call", "Mcp-Name", tool);
    }

    /** The JSON-RPC messages of an SSE answer, in order. */
    private static List<JsonNode> events(Reply reply) {
        assertThat(reply.contentType()).as(reply.toString()).startsWith("text/event-stream");
        return reply.text().lines().filter(l -> l.startsWith("data:"))
                .map(l -> JSON.readTree(l.substring(5).strip().getBytes(StandardCharsets.UTF_8))).toList();
    }

    private static long slowCalls() {
        return SEEN.seen().stream().filter(s -> s.body().contains("\"tools/call\"") && s.body().contains("\"slow\""))
                .count();
    }

    private static long cancellations() {
        return SEEN.seen().stream().filter(s -> s.body().contains("\"notifications/cancelled\"")).count();
    }
}
