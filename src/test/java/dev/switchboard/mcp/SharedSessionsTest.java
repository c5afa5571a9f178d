package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.persistence.Dialect;
import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.settings.SettingsBinding;
import dev.switchboard.testing.AlternatingProxy;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayCluster;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.NodeUpstreams;
import dev.switchboard.testing.TestEngine;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streamable HTTP sessions live in the registry: a restarted gateway continues the sessions it opened, any replica
 * continues a session another opened (and notices when another ended it), the official Java and TypeScript SDK
 * clients work through a round-robin proxy without affinity, and the shared sweep deletes sessions left idle.
 * Every engine; two replicas at once only on the server engines (a SQLite file serves one gateway).
 */
class SharedSessionsTest {

    private static final String VERSION = "2025-11-25";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @EngineTest
    void aRestartedGatewayContinuesTheSessionsItOpened(TestEngine engine) {
        String url = engine.newDatabaseUrl();
        Map<String, String> shared = GatewayCluster.sharedSettings();
        String session;
        GatewayUnderTest first = GatewayUnderTest.start(url, shared);
        try {
            Client alice = first.as("alice", "mcp:use");
            session = initialize(alice);
            assertThat(send(alice, session, "logging/setLevel", Map.of("level", "debug")).status()).isEqualTo(200);
        } finally {
            first.close();
        }
        GatewayUnderTest second = GatewayUnderTest.start(url, shared);
        try {
            Client alice = second.as("alice", "mcp:use");
            Reply listed = send(alice, session, "tools/list", Map.of());
            assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
            assertThat(listed.json().has("result")).as(listed.toString()).isTrue();
            SessionRepository stored = second.bean(SessionRepository.class);
            assertThat(stored.find(session).orElseThrow().logLevel()).isEqualTo("debug");
            // To anyone else, and on another endpoint, it does not exist.
            assertThat(send(second.as("bob", "mcp:use"), session, "ping", Map.of()).status()).isEqualTo(404);
            assertThat(alice.send("POST", "/servers/" + UUID.randomUUID() + "/mcp", request("ping", Map.of()),
                    headers(session)).status()).isEqualTo(404);

            assertThat(alice.send("DELETE", "/mcp", null, headers(session)).status()).isEqualTo(204);
            assertThat(send(alice, session, "ping", Map.of()).status()).isEqualTo(404);
            assertThat(stored.find(session)).isEmpty();
        } finally {
            second.close();
        }
    }

    @EngineTest
    void anyReplicaContinuesASessionAndNoticesWhenAnotherEndsIt(TestEngine engine) {
        if (Dialect.of(engine.engine()).embedded()) {
            return; // a SQLite file serves one gateway (SqliteSingleGatewayTest)
        }
        String url = engine.newDatabaseUrl();
        try (GatewayCluster replicas = new GatewayCluster(url, 2)) {
            Client onA = replicas.replica(0).as("alice", "mcp:use");
            Client onB = replicas.replica(1).as("alice", "mcp:use");
            String session = initialize(onA);
            assertThat(send(onB, session, "ping", Map.of()).status()).isEqualTo(200);
            assertThat(send(onB, session, "logging/setLevel", Map.of("level", "error")).status()).isEqualTo(200);
            assertThat(replicas.replica(0).bean(SessionRepository.class).find(session).orElseThrow().logLevel())
                    .isEqualTo("error");
            assertThat(send(onA, session, "ping", Map.of()).status()).isEqualTo(200);
            assertThat(send(replicas.replica(1).as("mallory", "mcp:use"), session, "ping", Map.of()).status())
                    .isEqualTo(404);

            // Ended through B, it ends on A too, once A compares its copy with the registry.
            assertThat(onB.send("DELETE", "/mcp", null, headers(session)).status()).isEqualTo(204);
            await().atMost(McpSessions.RECHECK.multipliedBy(4)).pollInterval(Duration.ofMillis(250))
                    .until(() -> send(onA, session, "ping", Map.of()).status() == 404);
        }
    }

    /**
     * The per-caller cap counts a caller's sessions on every replica: with a cap of 2, opening a third and a fourth
     * session, alternately on A and B, leaves two (neither replica ever holds more than two, so its own count would
     * end none). Another caller is not affected.
     */
    @EngineTest
    void theCapOnOneCallersSessionsHoldsAcrossReplicas(TestEngine engine) {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        String url = engine.newDatabaseUrl();
        Map<String, String> settings = new HashMap<>(GatewayCluster.sharedSettings());
        settings.put("SWITCHBOARD_MCP_MAX_SESSIONS_PER_CALLER", "2");
        GatewayUnderTest a = GatewayUnderTest.start(url, settings);
        GatewayUnderTest b = GatewayUnderTest.start(url, settings);
        try {
            Client aliceOnA = a.as("alice", "mcp:use");
            Client aliceOnB = b.as("alice", "mcp:use");
            String bob = initialize(b.as("bob", "mcp:use"));
            String first = initialize(aliceOnA);
            String second = initialize(aliceOnB);
            String third = initialize(aliceOnA);
            // The least recently used one ends; which that is depends on when each replica last marked its sessions
            // used (every minute), so either of the two older ones.
            Map<String, Client> where = Map.of(first, aliceOnA, second, aliceOnB, third, aliceOnA);
            // A replica holding an ended session learns of it when it next compares its copy (within RECHECK).
            await().atMost(McpSessions.RECHECK.multipliedBy(4)).pollInterval(Duration.ofMillis(250))
                    .until(() -> answering(where).size() == 2);
            assertThat(answering(where)).contains(third);
            String fourth = initialize(aliceOnB);
            Map<String, Client> now = new HashMap<>(where);
            now.put(fourth, aliceOnB);
            await().atMost(McpSessions.RECHECK.multipliedBy(4)).pollInterval(Duration.ofMillis(250))
                    .until(() -> answering(now).size() == 2);
            assertThat(answering(now)).contains(fourth);
            assertThat(send(b.as("bob", "mcp:use"), bob, "ping", Map.of()).status()).isEqualTo(200);
        } finally {
            a.close();
            b.close();
        }
    }

    @EngineTest
    void theJavaAndTypeScriptSdkClientsWorkThroughARoundRobinProxyWithoutAffinity(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        String url = engine.newDatabaseUrl();
        try (GatewayCluster replicas = new GatewayCluster(url, 2);
             AlternatingProxy proxy = AlternatingProxy.start(List.of(replicas.replica(0).baseUrl(),
                     replicas.replica(1).baseUrl()))) {
            Reply tool = replicas.replica(0).admin().post("/v1/tools", Map.of("name", "replica_health",
                    "inputSchema", Map.of("type", "object"),
                    "request", Map.of("method", "GET", "url", replicas.replica(1).baseUrl() + "/health")));
            assertThat(tool.status()).as(tool.toString()).isEqualTo(201);
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(proxy.baseUrl())
                    .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder()
                            .header("Authorization", replicas.replica(0).admin().authorization())).build();
            SessionRepository stored = replicas.replica(0).bean(SessionRepository.class);
            String javaSession;
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build()) {
                client.initialize();
                javaSession = stored.leastRecentlyUsedOf(GatewayUnderTest.ADMIN, 2, "").getFirst();
                assertThat(send(replicas.replica(1).admin(), javaSession, "ping", Map.of()).status()).isEqualTo(200);
                // The catalog each replica serves follows the registry within its poll interval.
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.listTools().tools())
                        .extracting(McpSchema.Tool::name).contains("replica_health"));
                for (int i = 0; i < 4; i++) {
                    McpSchema.CallToolResult called = client.callTool(McpSchema.CallToolRequest.builder()
                            .name("replica_health").arguments(Map.of()).build());
                    assertThat(called.isError()).as(called.toString()).isFalse();
                    assertThat(((McpSchema.TextContent) called.content().getFirst()).text()).contains("UP");
                }
                // Closing gracefully sends the session's DELETE (close() alone does not).
                assertThat(client.closeGracefully()).isTrue();
            }
            assertThat(Set.copyOf(proxy.sentTo())).as("requests went to both replicas").containsExactlyInAnyOrder(0, 1);
            // The client's closing DELETE, through the proxy, ends its session on every replica.
            assertEndedEverywhere(replicas, javaSession);

            // The official TypeScript SDK client: initialize, every list, and a call, each request to the next replica.
            int before = proxy.sentTo().size();
            JsonNode seen = NodeUpstreams.runSdkClient(Map.of("url", proxy.baseUrl() + "/mcp",
                    "headers", Map.of("Authorization", replicas.replica(0).admin().authorization()),
                    "protocolVersion", VERSION, "call", Map.of("name", "replica_health", "arguments", Map.of()),
                    "timeoutMs", 60_000));
            assertThat(seen.at("/call/isError").asBoolean(false)).as(seen.toString()).isFalse();
            assertThat(seen.at("/call/content/0/text").asString()).as(seen.toString()).contains("UP");
            assertThat(Set.copyOf(proxy.sentTo().subList(before, proxy.sentTo().size()))).containsExactlyInAnyOrder(0,
                    1);
            assertThat(seen.path("terminated").asBoolean()).as(seen.toString()).isTrue();
            assertEndedEverywhere(replicas, seen.path("sessionId").asString());
        }
    }

    /** The sweep also deletes what streams carried longer ago than the retention, and a deleted session's. */
    @EngineTest
    void theSharedSweepDeletesSessionsNoReplicaUsedForTheIdleTimeout(TestEngine engine) {
        String url = engine.newDatabaseUrl();
        GatewayUnderTest gateway = GatewayUnderTest.start(url, Map.of());
        try {
            SessionRepository stored = gateway.bean(SessionRepository.class);
            Instant longAgo = Instant.now().minus(Duration.ofHours(2));
            String idle = "i".repeat(43);
            stored.insert(new SessionRepository.StoredSession(idle, "alice", "/mcp", null, VERSION,
                    JSON.createObjectNode(), "info", Set.of("docs://a"), longAgo, longAgo));
            String live = initialize(gateway.as("alice", "mcp:use"));
            // What streams carried: kept for the retention, and with the session.
            SessionEventRepository events = gateway.bean(SessionEventRepository.class);
            String replica = "0123456789abcdef";
            Instant now = Instant.now();
            events.insert(List.of(
                    new SessionEventRepository.StoredEvent(live, replica, 1, "{\"old\":true}",
                            now.minus(StreamLog.RETENTION).minusSeconds(60)),
                    new SessionEventRepository.StoredEvent(live, replica, 2, "{\"fresh\":true}", now)));
            // An idle session is no longer continued, even before the sweep.
            assertThat(send(gateway.as("alice", "mcp:use"), idle, "ping", Map.of()).status()).isEqualTo(404);
            gateway.bean(SessionSweepJob.class).run();
            assertThat(stored.find(idle)).isEmpty();
            assertThat(stored.find(live)).isPresent();
            assertThat(events.after(live, replica, 0, 10)).extracting(SessionEventRepository.StoredEvent::message)
                    .containsExactly("{\"fresh\":true}");
            // An event for a session deleted meanwhile does not keep the others from being stored.
            StreamLog streamLog = gateway.bean(StreamLog.class);
            StreamLog.EventId forIdle = streamLog.next();
            StreamLog.EventId forLive = streamLog.next();
            streamLog.sent(idle, forIdle, "{\"gone\":true}");
            streamLog.sent(live, forLive, "{\"kept\":true}");
            await().atMost(Duration.ofSeconds(10)).until(() -> events.after(live, forLive.replica(), 0, 10).stream()
                    .anyMatch(e -> e.seq() == forLive.seq()));
            // A session's events go with it.
            assertThat(gateway.as("alice", "mcp:use").send("DELETE", "/mcp", null, headers(live)).status())
                    .isEqualTo(204);
            assertThat(events.after(live, replica, 0, 10)).isEmpty();
            assertThat(events.after(live, forLive.replica(), 0, 10)).isEmpty();
        } finally {
            gateway.close();
        }
    }

    /**
     * With SWITCHBOARD_MCP_SESSION_STORE=memory, sessions work as before but nothing of them reaches the registry, so
     * a restarted gateway does not know them: the client gets 404 and initializes again.
     */
    @EngineTest
    void sessionsKeptInMemoryWorkWithoutTheRegistryAndEndWithTheProcess(TestEngine engine) {
        String url = engine.newDatabaseUrl();
        Map<String, String> settings = new HashMap<>(GatewayCluster.sharedSettings());
        settings.put("SWITCHBOARD_MCP_SESSION_STORE", "memory");
        String kept;
        GatewayUnderTest first = GatewayUnderTest.start(url, settings);
        try {
            Client alice = first.as("alice", "mcp:use");
            kept = initialize(alice);
            assertThat(send(alice, kept, "logging/setLevel", Map.of("level", "debug")).status()).isEqualTo(200);
            Reply listed = send(alice, kept, "tools/list", Map.of());
            assertThat(listed.json().has("result")).as(listed.toString()).isTrue();
            assertThat(send(first.as("bob", "mcp:use"), kept, "ping", Map.of()).status()).isEqualTo(404);
            String ended = initialize(alice);
            assertThat(alice.send("DELETE", "/mcp", null, headers(ended)).status()).isEqualTo(204);
            assertThat(send(alice, ended, "ping", Map.of()).status()).isEqualTo(404);
            SessionRepository stored = first.bean(SessionRepository.class);
            assertThat(stored.find(kept)).isEmpty();
            assertThat(stored.countOf("alice")).isZero();
        } finally {
            first.close();
        }
        GatewayUnderTest second = GatewayUnderTest.start(url, GatewayCluster.sharedSettings());
        try {
            assertThat(send(second.as("alice", "mcp:use"), kept, "ping", Map.of()).status()).isEqualTo(404);
        } finally {
            second.close();
        }
    }

    @Test
    void theSessionStoreIsRegistryOrMemory() {
        assertThat(SettingsBinding.bind(SessionStore.class, Map.<String, String>of()::get).shared()).isTrue();
        assertThat(SettingsBinding.bind(SessionStore.class, Map.of("SWITCHBOARD_MCP_SESSION_STORE", "memory")::get)
                .shared()).isFalse();
        assertThatThrownBy(() -> SettingsBinding.bind(SessionStore.class,
                Map.of("SWITCHBOARD_MCP_SESSION_STORE", "redis")::get)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("SWITCHBOARD_MCP_SESSION_STORE").hasMessageContaining("'redis'");
    }

    /** Session {@code id} is gone from the registry, and every replica answers 404 for it within RECHECK. */
    private static void assertEndedEverywhere(GatewayCluster replicas, String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> replicas.replica(0).bean(SessionRepository.class).find(id)
                .isEmpty());
        for (GatewayUnderTest replica : List.of(replicas.replica(0), replicas.replica(1))) {
            await().atMost(McpSessions.RECHECK.multipliedBy(4)).pollInterval(Duration.ofMillis(250))
                    .until(() -> send(replica.admin(), id, "ping", Map.of()).status() == 404);
        }
    }

    /** Those of the sessions that still answer, each through its client's replica. */
    private static Set<String> answering(Map<String, Client> sessions) {
        Set<String> live = new HashSet<>();
        sessions.forEach((session, client) -> {
            if (send(client, session, "ping", Map.of()).status() == 200) {
                live.add(session);
            }
        });
        return live;
    }

    private static String initialize(Client client) {
        Reply reply = client.send("POST", "/mcp", request("initialize", Map.of("protocolVersion", VERSION,
                "capabilities", Map.of(), "clientInfo", Map.of("name", "shared", "version", "1"))),
                Map.of("Accept", "application/json, text/event-stream"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        String session = reply.header("Mcp-Session-Id");
        assertThat(client.send("POST", "/mcp", Map.of("jsonrpc", "2.0", "method", "notifications/initialized"),
                headers(session)).status()).isEqualTo(202);
        return session;
    }

    private static Reply send(Client client, String session, String method, Map<String, Object> params) {
        return client.send("POST", "/mcp", request(method, params), headers(session));
    }

    private static Map<String, Object> request(String method, Map<String, Object> params) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("jsonrpc", "2.0");
        request.put("id", 1);
        request.put("method", method);
        request.put("params", params);
        return request;
    }

    private static Map<String, String> headers(String session) {
        return Map.of("Accept", "application/json, text/event-stream", "Mcp-Session-Id", session,
                "MCP-Protocol-Version", VERSION);
    }
}
