package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.jobs.JobLeaseRepository;
import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayCluster;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.RecordingFilter;
import dev.switchboard.testing.SseReader;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.UpstreamServers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 20's relayed changes, with two replicas on one registry (one on SQLite, which serves one process): an
 * upstream (the official SDK server) that adds tools and says list_changed is refreshed once, by one replica, and a
 * client listening on the other replica hears list_changed and lists the new tools within the change poll interval
 * plus the refresh debounce (and a margin for a loaded machine); a client subscribed to a federated resource hears
 * the upstream's resources/updated, the upstream is subscribed once per replica however many clients hold the URI,
 * and it is unsubscribed when the last of them goes.
 */
class RelayedChangesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration DEBOUNCE = Duration.ofMillis(800);
    /** What a starved two-core machine may add to a discovery and a poll; the measured time is in the message. */
    private static final Duration MARGIN = Duration.ofSeconds(10);
    private static final McpSchema.ServerCapabilities CAPABILITIES = McpSchema.ServerCapabilities.builder()
            .tools(true).resources(true, true).prompts(true).build();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // Closing what is left of a failed test; the failure itself was reported.
            }
        }
        open.clear();
    }

    private record Setup(List<GatewayUnderTest> replicas, UpstreamServers.Http upstream, RecordingFilter seen,
                         String slug, String gatewayId) {
    }

    private Setup start(TestEngine engine) {
        String url = engine.newDatabaseUrl();
        // Replicas of one deployment: a client's credential is good on each.
        Map<String, String> settings = new HashMap<>(GatewayCluster.sharedSettings());
        settings.put("SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL", POLL.toString());
        settings.put("SWITCHBOARD_UPSTREAM_REFRESH_DEBOUNCE", DEBOUNCE.toString());
        int count = engine.engine() == Engine.SQLITE ? 1 : 2;
        List<GatewayUnderTest> replicas = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            GatewayUnderTest replica = GatewayUnderTest.start(url, settings);
            open.add(replica);
            replicas.add(replica);
        }
        RecordingFilter seen = new RecordingFilter();
        UpstreamServers.Http upstream = UpstreamServers.streamable(seen, 0, CAPABILITIES);
        open.add(upstream);
        upstream.server().addTool(tool("first"));
        upstream.server().addResource(new SyncResourceSpecification(McpSchema.Resource.builder()
                .uri("relay://status").name("status").mimeType("text/plain").build(),
                (x, r) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(r.uri(),
                        "text/plain", "fine")))));
        String slug = "rl" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        GatewayUnderTest.Reply created = replicas.getFirst().admin().post("/v1/gateways",
                Map.of("name", slug, "slug", slug, "url", upstream.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("discovery").path("status").asString()).isEqualTo("completed");
        return new Setup(replicas, upstream, seen, slug, created.id());
    }

    private static SyncToolSpecification tool(String name) {
        return SyncToolSpecification.builder().tool(McpSchema.Tool.builder().name(name).description("added at runtime")
                        .inputSchema(Map.of("type", "object")).build())
                .callHandler((x, r) -> McpSchema.CallToolResult.builder().addTextContent(name).build()).build();
    }

    private McpSyncClient client(GatewayUnderTest gateway, Consumer<List<McpSchema.Tool>> tools,
                                 Consumer<List<McpSchema.ResourceContents>> updates) {
        McpClient.SyncSpec spec = McpClient.sync(HttpClientStreamableHttpTransport.builder(gateway.baseUrl())
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", gateway.admin().authorization()))
                .build()).requestTimeout(Duration.ofSeconds(30));
        if (tools != null) {
            spec.toolsChangeConsumer(tools);
        }
        if (updates != null) {
            spec.resourcesUpdateConsumer(updates);
        }
        McpSyncClient client = spec.build();
        open.add(client);
        client.initialize();
        return client;
    }

    /** The upstream's requests of {@code method} (JSON-RPC), by the session that sent them. */
    private static List<String> sessionsThatSent(RecordingFilter seen, String method) {
        return seen.seen().stream().filter(s -> s.method().equals("POST")
                        && s.body().contains("\"method\":\"" + method + "\""))
                .map(s -> s.headers().getOrDefault("mcp-session-id", "")).toList();
    }

    /** The upstream's GET streams open, one per replica's session: notifications have somewhere to go. */
    private static void awaitStreams(RecordingFilter seen, int replicas) {
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.seen().stream()
                .filter(s -> s.method().equals("GET")).map(s -> s.headers().get("mcp-session-id"))
                .collect(Collectors.toSet()).size() >= replicas);
    }

    @EngineTest
    void anUpstreamsNewToolsReachAClientOnAnotherReplicaAfterOneSharedRefresh(TestEngine engine) {
        Setup setup = start(engine);
        GatewayUnderTest listening = setup.replicas().getLast();
        List<List<String>> heard = new CopyOnWriteArrayList<>();
        McpSyncClient client = client(listening, tools -> heard.add(tools.stream().map(McpSchema.Tool::name)
                .toList()), null);
        // A call through the listening replica connects it to the upstream too: both replicas hear list_changed.
        assertThat(client.callTool(new McpSchema.CallToolRequest(setup.slug() + ".first", Map.of())).isError())
                .isNotEqualTo(Boolean.TRUE);
        awaitStreams(setup.seen(), setup.replicas().size());
        int listsBefore = sessionsThatSent(setup.seen(), "tools/list").size();

        // A burst: three tools, three list_changed to each replica's session.
        long asked = System.nanoTime();
        for (String name : List.of("second", "third", "fourth")) {
            setup.upstream().server().addTool(tool(name));
        }
        Set<String> added = Set.of(setup.slug() + ".second", setup.slug() + ".third", setup.slug() + ".fourth");
        await().atMost(POLL.plus(DEBOUNCE).plus(MARGIN)).until(() -> heard.stream()
                .anyMatch(names -> names.containsAll(added)));
        Duration took = Duration.ofNanos(System.nanoTime() - asked);
        assertThat(took).as("from the upstream's list_changed to the client's list").isGreaterThanOrEqualTo(DEBOUNCE);
        assertThat(client.listTools().tools().stream().map(McpSchema.Tool::name).toList()).containsAll(added);

        // One refresh for the burst, on one replica, and no second one after it.
        await().during(DEBOUNCE.multipliedBy(2)).atMost(DEBOUNCE.multipliedBy(2).plus(MARGIN))
                .until(() -> sessionsThatSent(setup.seen(), "tools/list").size() - listsBefore == 1);
        // The refresh job's row goes once no run is wanted.
        await().atMost(MARGIN).until(() -> listening.bean(JobLeaseRepository.class)
                .nextRunAt(UpstreamChanges.jobName(UUID.fromString(setup.gatewayId()))) == null);
    }

    /**
     * A session opened and subscribed to a federated resource through A listens on B: B, which learns of the
     * subscription when it compares its copy of the session with the registry, subscribes upstream too, and the
     * upstream's resources/updated reaches the client on B's stream.
     */
    @EngineTest
    void aSubscriptionTakenThroughAnotherReplicaIsHeardFromTheUpstreamOnTheStreamsReplica(TestEngine engine)
            throws Exception {
        if (engine.engine() == Engine.SQLITE) {
            return; // a SQLite file serves one gateway
        }
        Setup setup = start(engine);
        String uri = "relay://status";
        GatewayUnderTest a = setup.replicas().get(0);
        GatewayUnderTest b = setup.replicas().get(1);
        Map<String, String> json = Map.of("Accept", "application/json, text/event-stream",
                "Authorization", a.admin().authorization());
        GatewayUnderTest.Reply opened = a.anonymous().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 1,
                "method", "initialize", "params", Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "relay", "version", "1"))), json);
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        Map<String, String> session = new LinkedHashMap<>(json);
        session.put("Mcp-Session-Id", opened.header("Mcp-Session-Id"));
        session.put("MCP-Protocol-Version", "2025-11-25");
        assertThat(a.anonymous().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "method",
                "notifications/initialized"), session).status()).isEqualTo(202);
        Map<String, String> listen = new LinkedHashMap<>(session);
        listen.put("Accept", "text/event-stream");
        try (SseReader onB = SseReader.open(b.baseUrl() + "/mcp", null, listen)) {
            assertThat(onB.status()).isEqualTo(200);
            assertThat(a.anonymous().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 2, "method",
                    "resources/subscribe", "params", Map.of("uri", uri)), session).status()).isEqualTo(200);
            // A subscribes upstream at once; B when it compares its copy (every 5 s for a stream it holds).
            await().atMost(MARGIN).until(() -> Set.copyOf(sessionsThatSent(setup.seen(), "resources/subscribe"))
                    .size() == 2);
            awaitStreams(setup.seen(), 2);
            setup.upstream().server().notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri));
            SseReader.Event heard = onB.next((int) MARGIN.toSeconds());
            while (heard != null && !heard.json().path("method").asString().equals("notifications/resources/updated")) {
                heard = onB.next((int) MARGIN.toSeconds());
            }
            assertThat(heard).as("resources/updated on B's stream").isNotNull();
            assertThat(heard.json().path("params").path("uri").asString()).isEqualTo(uri);
        }
    }

    @EngineTest
    void theUpstreamsResourceUpdatesReachEverySubscribedClientAndTheLastToLeaveUnsubscribes(TestEngine engine) {
        Setup setup = start(engine);
        String uri = "relay://status";
        List<McpSyncClient> clients = new ArrayList<>();
        List<List<String>> updates = new ArrayList<>();
        // Two clients on each replica, each subscribed to the URI.
        for (GatewayUnderTest replica : setup.replicas()) {
            for (int i = 0; i < 2; i++) {
                List<String> heard = new CopyOnWriteArrayList<>();
                updates.add(heard);
                McpSyncClient client = client(replica, null, contents -> contents.forEach(c -> heard.add(c.uri())));
                client.subscribeResource(new McpSchema.SubscribeRequest(uri));
                clients.add(client);
            }
        }
        // One upstream subscription per replica (each has its own session), however many clients hold the URI.
        List<String> subscribed = sessionsThatSent(setup.seen(), "resources/subscribe");
        assertThat(subscribed).as("sessions that subscribed upstream").hasSize(setup.replicas().size())
                .doesNotHaveDuplicates();
        awaitStreams(setup.seen(), setup.replicas().size());

        setup.upstream().server().notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri));
        await().atMost(MARGIN).until(() -> updates.stream().allMatch(heard -> heard.contains(uri)));

        // The replica whose clients all leave unsubscribes upstream; the other keeps its subscription.
        int last = clients.size() - 1;
        clients.get(last).closeGracefully();
        clients.get(last - 1).closeGracefully();
        await().atMost(MARGIN).until(() -> sessionsThatSent(setup.seen(), "resources/unsubscribe").size() == 1);
        if (setup.replicas().size() == 1) {
            return;
        }
        assertThat(sessionsThatSent(setup.seen(), "resources/unsubscribe")).containsExactly(subscribed.getLast());
        // The first replica's clients still hear the upstream.
        updates.get(0).clear();
        updates.get(1).clear();
        setup.upstream().server().notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri));
        await().atMost(MARGIN).until(() -> updates.get(0).contains(uri) && updates.get(1).contains(uri));
        // An explicit resources/unsubscribe counts as leaving too.
        clients.get(0).unsubscribeResource(new McpSchema.UnsubscribeRequest(uri));
        assertThat(sessionsThatSent(setup.seen(), "resources/unsubscribe")).hasSize(1);
        clients.get(1).unsubscribeResource(new McpSchema.UnsubscribeRequest(uri));
        await().atMost(MARGIN).until(() -> sessionsThatSent(setup.seen(), "resources/unsubscribe").size() == 2);
    }
    @EngineTest
    void aListenRequestOfTheStatelessRevisionHearsTheUpstreamsResourceUpdatesWhileItLasts(TestEngine engine)
            throws Exception {
        Setup setup = start(engine);
        String uri = "relay://status";
        GatewayUnderTest replica = setup.replicas().getLast();
        Map<String, Object> body = new LinkedHashMap<>(StatelessMcp.request("subscriptions/listen",
                Map.of("notifications", Map.of("resourceSubscriptions", List.of(uri))), Map.of()));
        body.put("id", "relay-listen");
        Map<String, String> headers = new LinkedHashMap<>(StatelessMcp.headers("subscriptions/listen", null));
        headers.put("Authorization", replica.admin().authorization());
        try (SseReader listen = SseReader.open(replica.baseUrl() + "/mcp", JSON.writeValueAsString(body), headers)) {
            assertThat(listen.status()).isEqualTo(200);
            assertThat(listen.next(10).json().get("method").asString())
                    .isEqualTo("notifications/subscriptions/acknowledged");
            // The listen request holds the URI: the upstream is subscribed to, once.
            await().atMost(MARGIN).until(() -> sessionsThatSent(setup.seen(), "resources/subscribe").size() == 1);
            awaitStreams(setup.seen(), 1);

            setup.upstream().server().notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri));
            JsonNode updated = listen.next((int) MARGIN.toSeconds()).json();
            assertThat(updated.get("method").asString()).isEqualTo("notifications/resources/updated");
            assertThat(updated.at("/params/uri").asString()).isEqualTo(uri);
            assertThat(updated.at("/params/_meta/io.modelcontextprotocol~1subscriptionId").asString())
                    .isEqualTo("relay-listen");
        }
        // Gone once the gateway sees the stream closed: when a keep-alive write fails, which (the first write after
        // the close may still be buffered) can take two keep-alive periods of 15 s.
        await().atMost(Duration.ofSeconds(50)).until(() -> sessionsThatSent(setup.seen(), "resources/unsubscribe")
                .size() == 1);
    }
}
