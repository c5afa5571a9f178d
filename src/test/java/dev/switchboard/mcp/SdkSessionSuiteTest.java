package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.persistence.Dialect;
import dev.switchboard.testing.AlternatingProxy;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayCluster;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.NodeUpstreams;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.StreamableUpstream;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.modern.client.SubscriptionEvent;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The steps of the session suite that the other tests through replicas do not drive with the official SDK clients,
 * through a proxy that sends each request to the next of three replicas (no affinity): a call's progress, a
 * subscription and its resources/updated for a change made through a replica, and, with the TypeScript SDK, a call
 * cancelled (the Java SDK client has no way to cancel a request). The server engines: a SQLite file serves one gateway.
 */
class SdkSessionSuiteTest {

    private static final String VERSION = "2025-11-25";
    @RegisterExtension
    static final StreamableUpstream UPSTREAM = new StreamableUpstream();

    @EngineTest
    void theJavaSdkClientHearsProgressAndResourceUpdates(TestEngine engine) {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 3);
             AlternatingProxy proxy = AlternatingProxy.start(cluster.baseUrls())) {
            String slug = cluster.registerUpstream(UPSTREAM.url(), "elicit");
            String resource = resource(cluster.replica(0), "docs://suite-java");
            List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
            BlockingQueue<List<McpSchema.ResourceContents>> updates = new LinkedBlockingQueue<>();
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(proxy.baseUrl())
                    .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder()
                            .header("Authorization", cluster.replica(0).admin().authorization())).build();
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
                    .progressConsumer(progress::add).resourcesUpdateConsumer(updates::add).build()) {
                client.initialize();
                McpSchema.CallToolResult done = client.callTool(McpSchema.CallToolRequest.builder()
                        .name(slug + ".progress").arguments(Map.of()).progressToken("java-progress").build());
                assertThat(done.content()).containsExactly(new McpSchema.TextContent("done"));
                await().atMost(Duration.ofSeconds(10)).until(() -> progress.size() == 2);
                assertThat(progress).extracting(McpSchema.ProgressNotification::progressToken)
                        .containsOnly("java-progress");
                assertThat(progress).extracting(McpSchema.ProgressNotification::progress).containsExactly(1.0, 2.0);

                client.subscribeResource(new McpSchema.SubscribeRequest("docs://suite-java"));
                // The replica holding the stream learns of the subscription within RECHECK: changed until heard.
                AtomicInteger version = new AtomicInteger();
                await().atMost(McpSessions.RECHECK.multipliedBy(4)).until(() -> {
                    change(cluster.replica(2), resource, "version " + version.incrementAndGet());
                    return updates.poll(2, TimeUnit.SECONDS) != null;
                });
            }
        }
    }

    @EngineTest
    void theTypeScriptSdkClientHearsProgressCancelsACallAndHearsResourceUpdates(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 3);
             AlternatingProxy proxy = AlternatingProxy.start(cluster.baseUrls())) {
            String slug = cluster.registerUpstream(UPSTREAM.url(), "elicit");
            String resource = resource(cluster.replica(0), "docs://suite-ts");
            CompletableFuture<JsonNode> client = CompletableFuture.supplyAsync(() -> NodeUpstreams.runSdkClient(
                    Map.of("url", proxy.baseUrl() + "/mcp", "headers", Map.of("Authorization",
                                    cluster.replica(0).admin().authorization()), "protocolVersion", VERSION,
                            "progress", Map.of("name", slug + ".progress"),
                            "cancel", Map.of("name", slug + ".slow", "arguments", Map.of("seconds", 60)),
                            "subscribe", "docs://suite-ts", "keepSession", true, "timeoutMs", 80_000)));
            // Changed until the client has heard of a change, which ends its run.
            AtomicInteger version = new AtomicInteger();
            await().atMost(Duration.ofSeconds(80)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                if (!client.isDone()) {
                    change(cluster.replica(2), resource, "version " + version.incrementAndGet());
                }
                return client.isDone();
            });
            JsonNode seen = client.get();

            assertThat(seen.at("/progress/result/content/0/text").asString()).as(seen.toString()).isEqualTo("done");
            assertThat(seen.at("/progress/notifications").valueStream().map(p -> p.path("progress").asDouble())
                    .toList()).as(seen.toString()).containsExactly(1.0, 2.0);

            assertThat(seen.at("/cancelled/error").asString()).as(seen.toString()).contains("the test cancels it");
            // The replica running the call stopped it (the upstream's call would sleep for a minute).
            String session = seen.path("sessionId").asString();
            JsonNode requestId = seen.at("/cancelled/requestId");
            List<McpSessions> replicas = List.of(0, 1, 2).stream()
                    .map(i -> cluster.replica(i).bean(McpSessions.class)).toList();
            assertThat(replicas).anyMatch(r -> r.held(session, GatewayUnderTest.ADMIN, "/mcp").isPresent());
            await().atMost(Duration.ofSeconds(10)).until(() -> replicas.stream().noneMatch(r ->
                    r.held(session, GatewayUnderTest.ADMIN, "/mcp").map(s -> s.runs(requestId)).orElse(false)));

            assertThat(seen.at("/updated/uri").asString()).as(seen.toString()).isEqualTo("docs://suite-ts");
        }
    }

    /**
     * The official Java SDK's client for 2026-07-28 through the same proxy: an upstream's elicitation parks the
     * call on one replica and the client's retry, with its answer, lands on the next; its listen stream, held by
     * one replica, hears of a tool added through another.
     */
    @EngineTest
    void theJavaSdkStatelessClientAnswersAnElicitationAndListensThroughThreeReplicas(TestEngine engine) {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 3);
             AlternatingProxy proxy = AlternatingProxy.start(cluster.baseUrls())) {
            String slug = cluster.registerUpstream(UPSTREAM.url(), "elicit");
            io.modelcontextprotocol.modern.client.McpSyncClient client = StatelessMcp.javaSdkClient(
                    proxy.baseUrl() + "/mcp", cluster.replica(0).admin().authorization());
            for (String name : List.of("Ada", "Grace", "Linus")) {
                io.modelcontextprotocol.modern.McpSchema.CallToolResult answered = client.tool(slug + ".elicit")
                        .formElicitation(request -> io.modelcontextprotocol.modern.McpSchema.ElicitResult.accept(
                                Map.of("name", name))).call();
                assertThat(answered.content()).extracting(c ->
                        ((io.modelcontextprotocol.modern.McpSchema.TextContent) c).text())
                        .containsExactly("elicited: accept " + name);
            }

            List<SubscriptionEvent> events = new CopyOnWriteArrayList<>();
            try (var listening = client.listen().toolsChanged().open(events::add)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                        .anyMatch(e -> e instanceof SubscriptionEvent.Subscribed));
                GatewayUnderTest other = cluster.replica(2);
                Reply tool = other.admin().post("/v1/tools", Map.of("name", slug + "_added", "inputSchema",
                        Map.of("type", "object"), "request", Map.of("method", "GET", "url",
                                other.baseUrl() + "/health")));
                assertThat(tool.status()).as(tool.toString()).isEqualTo(201);
                await().atMost(Duration.ofSeconds(20)).until(() -> events.stream()
                        .anyMatch(e -> e instanceof SubscriptionEvent.ToolsListChanged));
            }
        }
    }

    /** A registry resource at {@code uri}; its id. */
    private static String resource(GatewayUnderTest at, String uri) {
        Reply created = at.admin().post("/v1/resources", Map.of("uri", uri, "name", uri.substring(7).replace('-',
                '_'), "text", "version 0"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.id();
    }

    private static void change(GatewayUnderTest at, String resourceId, String text) {
        Reply changed = at.admin().patchCurrent("/v1/resources/" + resourceId, Map.of("text", text));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    }
}
