package dev.switchboard.mcp;

import static dev.switchboard.mcp.McpFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TcpProxy;
import dev.switchboard.testing.TestEngine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.impl.DSL;
import tools.jackson.databind.JsonNode;

/**
 * The data plane rides out a registry outage: with the database cut off (a TCP proxy between the pool and the real
 * server), MCP is served from the catalog in memory to JWTs, the administrator and recently used API tokens; the
 * registry API answers 503; /health and /ready stay 200 with the outage in /ready's body and in a metric; and all is
 * normal again within 5 s of the database's return.
 */
class RegistryOutageTest {

    /**
     * How soon after the database returns all is normal. The buffered records wait for the writer's next flush (2 s),
     * and a flush that began while the database was away fails only after the pool's timeout (1 s here), so the worst
     * case is two flush intervals and the timeout; a loaded CI machine took 4.9 s once, where 0.7 s is usual.
     */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

    @EngineTest
    void mcpIsServedFromMemoryWhileTheDatabaseIsAway(TestEngine engine) {
        assumeTrue(engine.engine() != Engine.SQLITE, "an embedded database cannot go away");
        String direct = engine.newDatabaseUrl();
        TcpProxy.Routed routed = TcpProxy.forDatabaseUrl(direct);
        HttpServer weather = McpFixtures.weatherService(city -> "{\"city\": \"" + city + "\", \"sky\": \"clear\"}");
        try (TcpProxy proxy = routed.proxy();
             GatewayUnderTest gateway = GatewayUnderTest.start(routed.url(), Map.of("DB_POOL_TIMEOUT_MS", "1000"))) {
            Client admin = gateway.admin();
            String tool = unique("outage-weather");
            String toolId = admin.post("/v1/tools", Map.of("name", tool, "displayName", "weather",
                    "inputSchema", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
                    "request", Map.of("method", "GET", "url", "http://127.0.0.1:" + weather.getAddress().getPort()
                            + "/weather/{city}"))).id();
            String server = admin.post("/v1/servers", Map.of("name", unique("outage"))).id();
            assertThat(admin.put("/v1/servers/" + server + "/tools", Map.of("ids", List.of(toolId)), null).status())
                    .isEqualTo(200);
            Reply issued = admin.post("/v1/tokens", Map.of("name", unique("outage"), "scopes", List.of("mcp:use"),
                    "expiresInDays", 1));
            assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
            Map<String, Client> callers = new LinkedHashMap<>();
            callers.put("a JWT", gateway.as("outage-jwt", "mcp:use"));
            callers.put("an API token", gateway.bearer(issued.json().get("token").asString()));
            callers.put("the administrator", admin);

            // Before: every caller is served (and the API token is checked against the database once).
            callers.forEach((who, client) -> servesTheCatalog(client, server, tool, who));

            proxy.cut();
            assertThat(admin.get("/v1/tools").problemType()).as("the registry API, during the outage")
                    .isEqualTo("database-unavailable");
            // The catalog notices within a poll interval; meanwhile, and after, MCP is answered from memory.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Reply ready = gateway.anonymous().get("/ready");
                assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
                assertThat(ready.json().at("/database/available").asBoolean(true)).as(ready.toString()).isFalse();
            });
            for (int round = 0; round < 3; round++) {
                callers.forEach((who, client) -> servesTheCatalog(client, server, tool, who + ", during the outage"));
            }
            Client sessionHolder = gateway.as("outage-session", "mcp:use");
            String openedDuringOutage = openSession(sessionHolder);
            assertThat(openedDuringOutage).as("a new session, during the outage").isNotBlank();
            assertThat(gateway.anonymous().get("/health").status()).isEqualTo(200);
            assertThat(gateway.withScopes("metrics:read").get("/metrics/prometheus").text())
                    .containsPattern("switchboard_database_available\\{[^}]*} 0");

            proxy.restore();
            long restored = System.nanoTime();
            // Every tools/call so far (two per caller and round: before, three rounds during) is stored, once; the
            // one through the virtual server counts for the server as well.
            long calls = 3L * callers.size() * 4;
            await().atMost(BACK_WITHIN).untilAsserted(() -> {
                assertThat(storedInvocations(direct)).as("invocation records, the buffered ones included")
                        .isEqualTo(calls);
                assertThat(admin.get("/v1/tools").status()).isEqualTo(200);
                Reply ready = gateway.anonymous().get("/ready");
                assertThat(ready.json().at("/database/available").asBoolean(false)).as(ready.toString()).isTrue();
                assertThat(gateway.withScopes("metrics:read").get("/metrics/prometheus").text())
                        .containsPattern("switchboard_database_available\\{[^}]*} 1");
            });
            System.out.printf("RegistryOutageTest (%s): all normal %d ms after the database returned%n",
                    engine.label(), Duration.ofNanos(System.nanoTime() - restored).toMillis());
            callers.forEach((who, client) -> servesTheCatalog(client, server, tool, who + ", after the outage"));
            // The session opened while the registry was away goes on, and is stored once the replica checks it.
            await().atMost(McpSessions.RECHECK.multipliedBy(4)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        assertThat(ping(sessionHolder, openedDuringOutage)).isEqualTo(200);
                        assertThat(gateway.bean(SessionRepository.class).find(openedDuringOutage)).isPresent();
                    });
        } finally {
            weather.stop(0);
        }
    }

    /** Lists and calls the tool on the whole catalog and on the virtual server, statelessly. */
    private static void servesTheCatalog(Client client, String server, String tool, String who) {
        Reply listed = stateless(client, "/mcp", "tools/list", null, Map.of());
        assertThat(listed.status()).as(who + ": " + listed).isEqualTo(200);
        assertThat(listed.json().at("/result/tools").findValuesAsString("name")).as(who).contains(tool);
        Reply called = stateless(client, "/mcp", "tools/call", tool, Map.of("name", tool,
                "arguments", Map.of("city", "Oslo")));
        assertThat(called.status()).as(who + ": " + called).isEqualTo(200);
        assertThat(called.json().at("/result/isError").asBoolean(false)).as(who + ": " + called).isFalse();
        assertThat(called.text()).as(who).contains("clear");
        Reply onServer = stateless(client, "/servers/" + server + "/mcp", "tools/call", "weather",
                Map.of("name", "weather", "arguments", Map.of("city", "Lima")));
        assertThat(onServer.json().at("/result/isError").asBoolean(true)).as(who + ": " + onServer).isFalse();
        for (String method : List.of("resources/list", "prompts/list")) {
            Reply list = stateless(client, "/mcp", method, null, Map.of());
            assertThat(list.json().has("result")).as(who + ", " + method + ": " + list).isTrue();
        }
    }

    private static Reply stateless(Client client, String path, String method, String name, Map<String, Object> params) {
        return client.send("POST", path, StatelessMcp.request(method, params, Map.of()),
                StatelessMcp.headers(method, name));
    }

    /** The rows in invocation_metric, over a connection of the test's own, straight to the database. */
    private static long storedInvocations(String databaseUrl) {
        try (Database database = Database.open(DatabaseSettings.forUrl(databaseUrl))) {
            return database.transactions().read(dsl -> dsl.fetchCount(DSL.table("invocation_metric")));
        }
    }

    private static int ping(Client client, String session) {
        return client.send("POST", "/mcp", McpFixtures.request(2, "ping", Map.of()), Map.of("Accept",
                "application/json, text/event-stream", "Mcp-Session-Id", session, "MCP-Protocol-Version",
                "2025-06-18")).status();
    }

    private static String openSession(Client client) {
        Reply reply = client.send("POST", "/mcp", McpFixtures.request(1, "initialize", Map.of(
                "protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "outage", "version", "1"))),
                Map.of("Accept", "application/json, text/event-stream"));
        JsonNode result = reply.json().get("result");
        assertThat(result).as(reply.toString()).isNotNull();
        return reply.header("Mcp-Session-Id");
    }
}
