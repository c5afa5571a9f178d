package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.persistence.Dialect;
import dev.switchboard.replicas.ReplicaLink;
import dev.switchboard.replicas.Replicas;
import dev.switchboard.testing.AlternatingProxy;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayCluster;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.NodeUpstreams;
import dev.switchboard.testing.SseReader;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.StreamableUpstream;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client sends for a call running on another replica reaches it: answers to sampling and elicitation, a
 * cancellation, and the retry of a 2026-07-28 call parked for input. Three gateways on one registry (the server
 * engines; a SQLite file serves one gateway), reached directly to choose which replica gets what, and through a
 * proxy that sends every request to the next replica, as the official Java and TypeScript SDK clients use them.
 */
class CrossReplicaDeliveryTest {

    private static final String VERSION = "2025-11-25";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    @RegisterExtension
    static final StreamableUpstream UPSTREAM = new StreamableUpstream();

    @EngineTest
    void answersCancellationsAndRetriesReachTheReplicaRunningTheCall(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 2)) {
            GatewayUnderTest a = cluster.replica(0);
            GatewayUnderTest b = cluster.replica(1);
            String slug = registerWhenAcquainted(a, b);

            // Sampling: the call runs on A, whose request to the client carries A's id; the answer goes to B.
            String session = initialize(a.admin());
            CallStream call = CallStream.start(a, session, "call-1", slug + ".sample", Map.of());
            JsonNode asked = call.samplingRequest();
            assertThat(asked.path("id").asString()).startsWith("switchboard-" + a.bean(Replicas.class).id() + "-");
            Reply answered = b.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", asked.get("id"),
                    "result", Map.of("role", "assistant", "model", "m", "content", Map.of("type", "text", "text",
                            "4"))), headers(session));
            assertThat(answered.status()).as(answered.toString()).isEqualTo(202);
            assertThat(call.next().at("/result/content/0/text").asString()).isEqualTo("sampled: 4");

            // Cancellation: the call runs on A, the cancellation reaches B, A stops the call (no response: 202).
            CompletableFuture<Reply> slow = CompletableFuture.supplyAsync(() -> a.admin().send("POST", "/mcp",
                    Map.of("jsonrpc", "2.0", "id", "slow-1", "method", "tools/call", "params",
                            Map.of("name", slug + ".slow", "arguments", Map.of("seconds", 60))),
                    Map.of("Accept", "application/json", "Mcp-Session-Id", session, "MCP-Protocol-Version",
                            VERSION)));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.bean(McpSessions.class)
                    .held(session, GatewayUnderTest.ADMIN, "/mcp").orElseThrow().runs(JSON.readTree("\"slow-1\"")));
            assertThat(b.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "method", "notifications/cancelled",
                    "params", Map.of("requestId", "slow-1", "reason", "changed my mind")), headers(session)).status())
                    .isEqualTo(202);
            assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(202);

            // A 2026-07-28 call parked for input on A resumes when its retry reaches B.
            Map<String, Object> params = stateless(slug + ".sample");
            Reply first = a.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 1, "method",
                    "tools/call", "params", params), headers2026(slug + ".sample"));
            JsonNode input = first.json().path("result");
            assertThat(input.path("resultType").asString()).as(first.toString()).isEqualTo("input_required");
            String key = input.path("inputRequests").propertyNames().iterator().next();
            params.put("inputResponses", Map.of(key, Map.of("role", "assistant", "model", "m",
                    "content", Map.of("type", "text", "text", "4"))));
            params.put("requestState", input.path("requestState").asString());
            Reply retried = b.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 2, "method",
                    "tools/call", "params", params), headers2026(slug + ".sample"));
            assertThat(retried.json().at("/result/content/0/text").asString()).as(retried.toString())
                    .isEqualTo("sampled: 4");
            // Answered once; the same state again names nothing, on either replica.
            Reply again = b.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 3, "method",
                    "tools/call", "params", params), headers2026(slug + ".sample"));
            assertThat(again.json().at("/error/code").asInt()).as(again.toString()).isEqualTo(-32602);
        }
    }

    /**
     * A client that takes only JSON on its POST listens on a GET stream another replica holds: the call runs on A,
     * and its request to the client reaches the client on B's stream; the answer, sent through B, reaches A, whose
     * JSON response then carries the result.
     */
    @EngineTest
    void aRequestForAJsonOnlyClientReachesItsStreamOnAnotherReplica(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 2)) {
            GatewayUnderTest a = cluster.replica(0);
            GatewayUnderTest b = cluster.replica(1);
            String slug = registerWhenAcquainted(a, b);
            String session = initialize(a.admin());
            Map<String, String> listen = new LinkedHashMap<>(headers(session));
            listen.put("Accept", "text/event-stream");
            listen.put("Authorization", b.admin().authorization());
            try (SseReader onB = SseReader.open(b.baseUrl() + "/mcp", null, listen)) {
                assertThat(onB.status()).isEqualTo(200);
                CompletableFuture<Reply> call = CompletableFuture.supplyAsync(() -> a.admin().send("POST", "/mcp",
                        Map.of("jsonrpc", "2.0", "id", "json-only", "method", "tools/call", "params",
                                Map.of("name", slug + ".sample", "arguments", Map.of())),
                        Map.of("Accept", "application/json", "Mcp-Session-Id", session, "MCP-Protocol-Version",
                                VERSION)));
                SseReader.Event asked = onB.next(20);
                assertThat(asked).as("the request to the client, on B's stream").isNotNull();
                assertThat(asked.json().path("method").asString()).isEqualTo("sampling/createMessage");
                assertThat(asked.json().path("id").asString())
                        .startsWith("switchboard-" + a.bean(Replicas.class).id() + "-");
                assertThat(b.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", asked.json().get("id"),
                        "result", Map.of("role", "assistant", "model", "m", "content", Map.of("type", "text",
                                "text", "4"))), headers(session)).status()).isEqualTo(202);
                Reply answered = call.get(20, TimeUnit.SECONDS);
                assertThat(answered.contentType()).startsWith("application/json");
                assertThat(answered.json().at("/result/content/0/text").asString()).as(answered.toString())
                        .isEqualTo("sampled: 4");
            }
        }
    }

    @EngineTest
    void aRetryForAReplicaThatStoppedAndAForgedSignatureAreRefusedClearly(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 2)) {
            GatewayUnderTest a = cluster.replica(0);
            GatewayUnderTest b = cluster.replica(1);
            String slug = register(a);
            Map<String, Object> params = stateless(slug + ".sample");
            Reply first = b.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 1, "method",
                    "tools/call", "params", params), headers2026(slug + ".sample"));
            JsonNode input = first.json().path("result");
            assertThat(input.path("resultType").asString()).as(first.toString()).isEqualTo("input_required");
            String key = input.path("inputRequests").propertyNames().iterator().next();
            params.put("inputResponses", Map.of(key, Map.of("role", "assistant", "model", "m",
                    "content", Map.of("type", "text", "text", "4"))));
            params.put("requestState", input.path("requestState").asString());
            cluster.stop(1);
            Reply retried = a.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 2, "method",
                    "tools/call", "params", params), headers2026(slug + ".sample"));
            assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
            assertThat(retried.json().at("/error/code").asInt()).as(retried.toString()).isEqualTo(-32602);
            assertThat(retried.json().at("/error/message").asString()).contains("without requestState");

            // A request that claims to come from a replica but is not signed by one is refused before anything.
            String session = initialize(a.admin());
            Map<String, String> forged = new LinkedHashMap<>(headers(session));
            forged.put(ReplicaLink.HEADER, a.bean(Replicas.class).id() + " " + (System.currentTimeMillis() / 1000)
                    + " c2lnbmF0dXJl");
            Reply refused = a.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 9, "method", "ping"),
                    forged);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.json().at("/error/message").asString()).contains(ReplicaLink.HEADER);
        }
    }

    @EngineTest
    void theJavaAndTypeScriptSdkClientsAnswerUpstreamRequestsThroughThreeReplicasWithoutAffinity(TestEngine engine)
            throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 3);
             AlternatingProxy proxy = AlternatingProxy.start(cluster.baseUrls())) {
            GatewayUnderTest a = cluster.replica(0);
            String slug = cluster.registerUpstream(UPSTREAM.url(), "sample");
            List<Object> heard = new CopyOnWriteArrayList<>();
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(proxy.baseUrl())
                    .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder()
                            .header("Authorization", a.admin().authorization())).build();
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
                    .capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().build())
                    .sampling(request -> {
                        heard.add(request);
                        return McpSchema.CreateMessageResult.builder().role(McpSchema.Role.ASSISTANT)
                                .content(new McpSchema.TextContent("4")).model("test-model").build();
                    })
                    .elicitation(request -> {
                        heard.add(request);
                        return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", "Ada"));
                    }).build()) {
                client.initialize();
                for (int i = 0; i < 3; i++) {
                    assertThat(call(client, slug + ".sample").content())
                            .containsExactly(new McpSchema.TextContent("sampled: 4"));
                    assertThat(call(client, slug + ".elicit").content())
                            .containsExactly(new McpSchema.TextContent("elicited: accept Ada"));
                }
            }
            assertThat(heard).hasSize(6);
            assertThat(Set.copyOf(proxy.sentTo())).containsExactlyInAnyOrder(0, 1, 2);

            JsonNode seen = NodeUpstreams.runSdkClient(Map.of("url", proxy.baseUrl() + "/mcp",
                    "headers", Map.of("Authorization", a.admin().authorization()), "protocolVersion", VERSION,
                    "calls", Stream.of("sample", "elicit", "sample", "elicit")
                            .map(t -> Map.of("name", slug + "." + t, "arguments", Map.of())).toList(),
                    "timeoutMs", 60_000));
            assertThat(seen.path("calls").valueStream().map(c -> c.at("/content/0/text").asString()).toList())
                    .as(seen.toString())
                    .containsExactly("sampled: 4", "elicited: accept Ada", "sampled: 4", "elicited: accept Ada");
        }
    }

    /**
     * A session's announcements come from whichever replica holds its GET stream, for changes made through any other.
     * A session opened on A listens on B and subscribes to a registry resource through C; the resource changed
     * through C is announced on B's stream, though the client sends B nothing after opening the stream: B learns of
     * the subscription when it compares its copy of the session with the registry, which it does every RECHECK for
     * the sessions whose stream it holds. Through the proxy, the Java SDK client hears tools/list_changed for a
     * tool created through the third replica.
     */
    @EngineTest
    void listChangedAndResourceUpdatesReachTheSessionWhicheverReplicaHoldsItsStream(TestEngine engine)
            throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 3);
             AlternatingProxy proxy = AlternatingProxy.start(cluster.baseUrls())) {
            GatewayUnderTest a = cluster.replica(0);
            GatewayUnderTest b = cluster.replica(1);
            GatewayUnderTest c = cluster.replica(2);
            Reply notes = c.admin().post("/v1/resources", Map.of("uri", "docs://shared-notes", "name",
                    "shared-notes", "text", "version one"));
            assertThat(notes.status()).as(notes.toString()).isEqualTo(201);

            String session = initialize(a.admin());
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            HttpRequest listen = HttpRequest.newBuilder(URI.create(b.baseUrl() + "/mcp"))
                    .header("Authorization", b.admin().authorization()).header("Accept", "text/event-stream")
                    .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", VERSION).GET().build();
            CompletableFuture<?> stream = HTTP.sendAsync(listen, HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(r -> r.body().forEach(heard::add));
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> b.bean(McpSessions.class)
                        .held(session, GatewayUnderTest.ADMIN, "/mcp").map(McpSession::hasStream).orElse(false));
                assertThat(send(c, session, "resources/subscribe", Map.of("uri", "docs://shared-notes")).status())
                        .isEqualTo(200);
                // Until B has compared its copy, a change goes unannounced: the resource is changed until one is.
                AtomicInteger version = new AtomicInteger(1);
                await().atMost(McpSessions.RECHECK.multipliedBy(4)).until(() -> {
                    Reply current = c.admin().get("/v1/resources/" + notes.id());
                    assertThat(c.admin().patch("/v1/resources/" + notes.id(), Map.of("text",
                            "version " + version.incrementAndGet()), current.etag()).status()).isEqualTo(200);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                    for (String line; System.nanoTime() < deadline; ) {
                        line = heard.poll(100, TimeUnit.MILLISECONDS);
                        if (line != null && line.contains("notifications/resources/updated")) {
                            assertThat(line).contains("docs://shared-notes");
                            return true;
                        }
                    }
                    return false;
                });
            } finally {
                stream.cancel(true);
            }

            BlockingQueue<List<String>> toolLists = new LinkedBlockingQueue<>();
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(proxy.baseUrl())
                    .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder()
                            .header("Authorization", c.admin().authorization())).build();
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
                    .toolsChangeConsumer(tools -> toolLists.add(tools.stream().map(McpSchema.Tool::name).toList()))
                    .build()) {
                client.initialize();
                String tool = "added-" + UUID.randomUUID().toString().substring(0, 8);
                assertThat(c.admin().post("/v1/tools", Map.of("name", tool, "inputSchema",
                        Map.of("type", "object"), "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/")))
                        .status()).isEqualTo(201);
                assertThat(toolLists.poll(20, TimeUnit.SECONDS)).as("tools/list_changed").contains(tool);
            }
        }
    }

    private static Reply send(GatewayUnderTest to, String session, String method, Map<String, Object> params) {
        return to.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", method, "method", method, "params",
                params), headers(session));
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String name) {
        return client.callTool(McpSchema.CallToolRequest.builder().name(name).arguments(Map.of()).build());
    }

    /**
     * A replica that stops gracefully while a call waits for the client's answer ends that call at once with an error
     * that says so: the answer could reach it neither directly nor passed on by another replica, since a stopping
     * replica takes no new connection. Without that the call, and the shutdown, waited until the grace period ran
     * out and the client's stream was cut. The session goes on through the other replica.
     */
    @EngineTest
    void aCallWaitingForTheClientWhenItsReplicaStopsEndsWithAnErrorAtOnce(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 2)) {
            GatewayUnderTest a = cluster.replica(0);
            GatewayUnderTest b = cluster.replica(1);
            String slug = registerWhenAcquainted(a, b);
            String session = initialize(a.admin());
            CallStream call = CallStream.start(a, session, "stopping-1", slug + ".sample", Map.of());
            call.samplingRequest();

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> cluster.stop(0));
            JsonNode ended = call.next();
            assertThat(ended.path("id").asString()).as(ended.toString()).isEqualTo("stopping-1");
            assertThat(ended.has("error") || ended.at("/result/isError").asBoolean()).as(ended.toString()).isTrue();
            assertThat(ended.toString()).contains("is stopping");
            stopped.get(30, TimeUnit.SECONDS);
            Reply ping = b.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", "after", "method", "ping"),
                    headers(session));
            assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
        }
    }

    /** Registers the SDK upstream through {@code a} once the two replicas know each other; its slug. */
    private static String registerWhenAcquainted(GatewayUnderTest a, GatewayUnderTest b) {
        String slug = register(a);
        await().atMost(Duration.ofSeconds(20)).until(() -> a.bean(Replicas.class).others().size() == 1
                && b.bean(Replicas.class).others().size() == 1);
        return slug;
    }

    /** Registers the SDK upstream through {@code at}; its slug. */
    private static String register(GatewayUnderTest at) {
        String slug = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Reply created = at.admin().post("/v1/gateways", Map.of("name", slug, "slug", slug, "url", UPSTREAM.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return slug;
    }

    private static Map<String, Object> stateless(String tool) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", tool);
        params.put("arguments", Map.of());
        params.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities", Map.of("sampling", Map.of())));
        return params;
    }

    private static Map<String, String> headers2026(String tool) {
        return Map.of("Accept", "application/json, text/event-stream", "MCP-Protocol-Version", "2026-07-28",
                "Mcp-Method", "tools/call", "Mcp-Name", tool);
    }

    private static String initialize(Client client) {
        Reply reply = client.send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize",
                "params", Map.of("protocolVersion", VERSION, "capabilities", Map.of("sampling", Map.of()),
                        "clientInfo", Map.of("name", "cross-replica", "version", "1"))),
                Map.of("Accept", "application/json, text/event-stream"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        String session = reply.header("Mcp-Session-Id");
        assertThat(client.send("POST", "/mcp", Map.of("jsonrpc", "2.0", "method", "notifications/initialized"),
                headers(session)).status()).isEqualTo(202);
        return session;
    }

    private static Map<String, String> headers(String session) {
        return Map.of("Accept", "application/json, text/event-stream", "Mcp-Session-Id", session,
                "MCP-Protocol-Version", VERSION);
    }

    /** A tools/call POSTed to one replica, its SSE answer read message by message. */
    private record CallStream(BlockingQueue<String> lines, CompletableFuture<?> done) {

        static CallStream start(GatewayUnderTest at, String session, String id, String tool,
                                Map<String, Object> arguments) {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call",
                    "params", Map.of("name", tool, "arguments", arguments)));
            HttpRequest request = HttpRequest.newBuilder(URI.create(at.baseUrl() + "/mcp"))
                    .header("Authorization", at.admin().authorization()).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", session)
                    .header("MCP-Protocol-Version", VERSION).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            CompletableFuture<?> done = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(r -> r.body().forEach(lines::add));
            return new CallStream(lines, done);
        }

        /** The upstream's sampling request relayed to the client: the next message on the stream, within 20 s. */
        JsonNode samplingRequest() throws InterruptedException {
            JsonNode asked = next();
            assertThat(asked.path("method").asString()).as(asked.toString()).isEqualTo("sampling/createMessage");
            return asked;
        }

        /** The next message on the stream, within 20 s. */
        JsonNode next() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith("data:")) {
                    return JSON.readTree(line.substring(5).strip());
                }
                if (line == null && done.isDone()) {
                    throw new AssertionError("the stream ended: " + done);
                }
            }
            throw new AssertionError("no message within 20 s");
        }
    }
}
