package dev.switchboard.federation;

import static dev.switchboard.federation.UpstreamSamples.JSON;
import static dev.switchboard.federation.UpstreamSamples.gateway;
import static dev.switchboard.federation.UpstreamSamples.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.Transport;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.federation.UpstreamSamples.RecordingExchange;
import dev.switchboard.protocol.Revision;
import dev.switchboard.testing.RecordingFilter;
import dev.switchboard.testing.UpstreamServers;
import dev.switchboard.testing.UpstreamTools;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Each transport against a real SDK upstream: Streamable HTTP, legacy SSE (stated, and detected from a URL
 * registered as Streamable HTTP) and stdio. Results must be the JSON the upstream sent, identical to what an SDK
 * client connected directly gets; progress, logging, sampling, elicitation and cancellation must be relayed.
 */
class UpstreamTransportTest {

    private static final UpstreamSettings SETTINGS = new UpstreamSettings(Duration.ofSeconds(2),
            Duration.ofSeconds(20), Duration.ofSeconds(60));
    private static final UpstreamOpener OPENER = new UpstreamOpener(UpstreamOpener.httpClient(SETTINGS), SETTINGS);
    private static final RecordingFilter STREAMABLE_SEEN = new RecordingFilter();
    private static final RecordingFilter SSE_SEEN = new RecordingFilter();
    private static final Map<String, RpcConnection> CONNECTIONS = new ConcurrentHashMap<>();
    private static UpstreamServers.Http streamable;
    private static UpstreamServers.Http sse;
    private static McpSyncClient direct;

    @BeforeAll
    static void start() {
        streamable = UpstreamServers.streamable(STREAMABLE_SEEN);
        sse = UpstreamServers.sse(SSE_SEEN);
        direct = McpClient.sync(HttpClientStreamableHttpTransport.builder(streamable.url().replace("/mcp", ""))
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(10)).build();
        direct.initialize();
    }

    @AfterAll
    static void stop() {
        CONNECTIONS.values().forEach(RpcConnection::close);
        direct.close();
        streamable.close();
        sse.close();
    }

    private static UpstreamGateway registered(String kind) {
        return switch (kind) {
            case "streamable" -> gateway(Transport.STREAMABLE_HTTP, streamable.url(), null);
            case "sse" -> gateway(Transport.SSE, sse.url(), null);
            case "detected-sse" -> gateway(Transport.STREAMABLE_HTTP, sse.url(), null);
            case "stdio" -> gateway(Transport.STDIO, null, UpstreamServers.stdioCommand(Map.of("FIXTURE", "1")));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static RpcConnection connection(String kind) {
        return CONNECTIONS.computeIfAbsent(kind, k -> OPENER.open(registered(k), Credential.NONE));
    }

    private static JsonNode call(String kind, String tool, UpstreamExchange exchange) {
        return connection(kind).request("tools/call", params("{\"name\":\"" + tool + "\",\"arguments\":{}}"),
                exchange);
    }

    /** What an SDK client connected straight to the upstream gets, as JSON. */
    private static JsonNode directly(String tool) throws IOException {
        McpSchema.CallToolResult result = direct.callTool(new McpSchema.CallToolRequest(tool, Map.of()));
        // Read as the gateway reads upstream answers (fractions as decimals), so numbers compare by value.
        return RpcConnection.JSON.readTree(McpJsonDefaults.getMapper().writeValueAsString(result));
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "sse", "detected-sse", "stdio"})
    void handshakeAgreesOnARevisionAndDetectsTheTransport(String kind) {
        RpcConnection connection = connection(kind);
        assertThat(connection.protocolVersion()).isIn(Revision.SESSION.stream().map(Revision::wire).toList());
        assertThat(connection.serverInfo().at("/serverInfo/name").asString()).startsWith("fixture-");
        assertThat(connection.transport()).isEqualTo(switch (kind) {
            case "streamable" -> Transport.STREAMABLE_HTTP;
            case "stdio" -> Transport.STDIO;
            default -> Transport.SSE;
        });
        JsonNode tools = connection.request("tools/list", null, UpstreamExchange.NONE);
        assertThat(tools.get("tools").valueStream().map(t -> t.get("name").asString()).toList())
                .contains("text", "image", "embedded", "structured", "progress", "log", "sample", "elicit", "slow");
        JsonNode read = connection.request("resources/read", params("{\"uri\":\"fixture://readme\"}"),
                UpstreamExchange.NONE);
        assertThat(read.at("/contents/0/text").asString()).isEqualTo("# Fixture");
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "sse", "detected-sse", "stdio"})
    void resultsAreTheJsonTheUpstreamSent(String kind) throws IOException {
        for (String tool : List.of("text", "image", "embedded", "structured")) {
            JsonNode ours = call(kind, tool, UpstreamExchange.NONE);
            JsonNode theirs = directly(tool);
            assertThat(ours.get("content")).as(tool).isEqualTo(theirs.get("content"));
            assertThat(ours.get("structuredContent")).as(tool).isEqualTo(theirs.get("structuredContent"));
        }
        assertThat(call(kind, "image", UpstreamExchange.NONE).at("/content/0/data").asString())
                .isEqualTo(UpstreamTools.PNG);
        assertThat(call(kind, "structured", UpstreamExchange.NONE).at("/structuredContent/temperature").asDouble())
                .isEqualTo(21.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "sse", "detected-sse", "stdio"})
    void progressComesBackWithTheCallersOwnToken(String kind) {
        RecordingExchange exchange = new RecordingExchange();
        JsonNode result = connection(kind).request("tools/call", params(
                "{\"name\":\"progress\",\"arguments\":{},\"_meta\":{\"progressToken\":\"mine-42\"}}"), exchange);
        assertThat(result.at("/content/0/text").asString()).isEqualTo("done");
        List<JsonNode> progress = exchange.notifications.stream()
                .filter(n -> n.get("method").asString().equals("notifications/progress")).map(n -> (JsonNode) n)
                .toList();
        assertThat(progress).hasSize(2);
        assertThat(progress).allSatisfy(n -> assertThat(n.at("/params/progressToken").asString())
                .isEqualTo("mine-42"));
        assertThat(progress.get(1).at("/params/progress").asDouble()).isEqualTo(2.0);
        assertThat(progress.get(1).at("/params/message").asString()).isEqualTo("all");
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "sse", "detected-sse", "stdio"})
    void loggingIsRelayedToTheRequest(String kind) {
        RecordingExchange exchange = new RecordingExchange();
        assertThat(call(kind, "log", exchange).at("/content/0/text").asString()).isEqualTo("logged");
        assertThat(exchange.notifications).anySatisfy(n -> {
            assertThat(n.get("method").asString()).isEqualTo("notifications/message");
            assertThat(n.at("/params/data").asString()).isEqualTo("upstream says hi");
            assertThat(n.at("/params/level").asString()).isEqualTo("warning");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "sse", "detected-sse", "stdio"})
    void samplingAndElicitationGoToTheExchangeAndTheirAnswersReachTheTool(String kind) {
        RecordingExchange exchange = new RecordingExchange();
        assertThat(call(kind, "sample", exchange).at("/content/0/text").asString()).isEqualTo("sampled: 4");
        assertThat(call(kind, "elicit", exchange).at("/content/0/text").asString()).isEqualTo("elicited: accept Ada");
        assertThat(exchange.requests).hasSize(2);
        assertThat(exchange.requests.get(0)).startsWith("sampling/createMessage").contains("What is 2+2?");
        assertThat(exchange.requests.get(1)).startsWith("elicitation/create").contains("Your name?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "sse", "stdio"})
    void interruptingTheCallerCancelsTheRequestUpstream(String kind) throws Exception {
        RpcConnection connection = connection(kind);
        RecordingFilter seen = kind.equals("streamable") ? STREAMABLE_SEEN : SSE_SEEN;
        int started = UpstreamTools.SLOW_STARTED.get();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                connection.request("tools/call", params("{\"name\":\"slow\",\"arguments\":{\"seconds\":30}}"),
                        UpstreamExchange.NONE);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        if (kind.equals("stdio")) {
            // The stdio upstream runs in its own process: the call is in flight once its caller waits for the answer.
            await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
        } else {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> UpstreamTools.SLOW_STARTED.get() != started);
        }
        long interruptedAt = System.nanoTime();
        caller.interrupt();
        caller.join(5000);
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(failure.get()).isInstanceOf(UpstreamException.class);
        assertThat(((UpstreamException) failure.get()).kind()).isEqualTo(UpstreamException.Kind.CANCELLED);
        if (!kind.equals("stdio")) {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> seen.seen().stream().anyMatch(s -> s.body().contains("notifications/cancelled")));
            assertThat(seen.seen()).anySatisfy(s -> {
                assertThat(s.body()).contains("\"notifications/cancelled\"");
                assertThat(JSON.readTree(s.body()).at("/params/requestId").isNumber()).isTrue();
            });
        }
        // The connection goes on serving other calls.
        assertThat(call(kind, "text", UpstreamExchange.NONE).at("/content/0/text").asString())
                .isEqualTo("hello world");
    }
}
