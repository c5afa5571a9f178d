package dev.switchboard.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.observability.InvocationMetricRepository;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Acceptance: on every engine, N calls produce exactly N raw rows, and N audit rows naming the caller and the
 * server, after a clean shutdown, with the right split of successes and failures, and a call still running when
 * shutdown begins is written too.
 */
class InvocationRecordingTest {

    static final String REVISION = "2026-07-28";

    @EngineTest
    void everyCallIsWrittenAtACleanShutdownEvenWithAFlushIntervalLongerThanTheTest(TestEngine engine)
            throws Exception {
        CountDownLatch slowArrived = new CountDownLatch(1);
        HttpServer weather = endpoint(slowArrived);
        String url = engine.newDatabaseUrl();
        CompletableFuture<Reply> inFlight;
        String server;
        try {
            GatewayUnderTest gateway = GatewayUnderTest.start(url, Map.of("SWITCHBOARD_METRICS_FLUSH_INTERVAL",
                    "PT1H", "SWITCHBOARD_AUDIT_ARGUMENTS", "true"));
            try {
                Client admin = gateway.admin();
                String base = "http://127.0.0.1:" + weather.getAddress().getPort();
                Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")));
                String good = admin.post("/v1/tools", Map.of("name", "forecast", "inputSchema", schema,
                        "request", Map.of("method", "GET", "url", base + "/weather/{city}"))).id();
                String bad = admin.post("/v1/tools", Map.of("name", "broken", "inputSchema", schema,
                        "request", Map.of("method", "GET", "url", base + "/fail"))).id();
                server = admin.post("/v1/servers", Map.of("name", "metered")).id();
                assertThat(admin.put("/v1/servers/" + server + "/tools", Map.of("ids", List.of(good, bad)), null)
                        .status()).isEqualTo(200);
                Client mcp = gateway.as("alice", "mcp:use");
                String path = "/servers/" + server + "/mcp";
                for (int i = 0; i < 7; i++) {
                    assertThat(call(mcp, path, "forecast", "city-" + i).at("/result/isError").asBoolean()).isFalse();
                }
                for (int i = 0; i < 3; i++) {
                    assertThat(call(mcp, path, "broken", "x").at("/result/isError").asBoolean()).isTrue();
                }
                // Nothing is written on the request path, and the flush interval has not come round.
                assertThat(gateway.bean(InvocationMetricRepository.class).count()).isZero();
                inFlight = CompletableFuture.supplyAsync(() -> mcp.send("POST", path, request("forecast", "slow"),
                        headers("forecast")));
                assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                gateway.close();
            }
            // Graceful shutdown let the call finish, and its record was written after that.
            assertThat(inFlight.get(10, TimeUnit.SECONDS).json().at("/result/isError").asBoolean()).isFalse();
        } finally {
            weather.stop(0);
        }
        try (Database db = Database.open(DatabaseSettings.forUrl(url));
             Connection c = db.dataSource().getConnection()) {
            // Each call counts for its tool and for the virtual server it came through.
            assertThat(outcomes(c, server)).isEqualTo(Map.of("tool success", 8L, "tool error_result", 3L,
                    "server success", 8L, "server error_result", 3L));
            assertThat(audited(c, server)).isEqualTo(Map.of("success", 8L, "error_result", 3L, "admin", 4L));
        }
    }

    /**
     * The audit rows: each invocation by alice through {@code server}, with its arguments (the setting is on) and
     * outcome, counted by outcome; and the administrator's changes, counted as "admin".
     */
    private static Map<String, Long> audited(Connection c, String server) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT actor, action, entity_type, server_id, outcome, duration_us,"
                     + " arguments, entity_name FROM audit_event")) {
            while (rs.next()) {
                if (rs.getString(1).equals("admin")) {
                    assertThat(rs.getString(2)).isIn("create", "set_members");
                    rows.merge("admin", 1L, Long::sum);
                    continue;
                }
                assertThat(rs.getString(1)).isEqualTo("alice");
                assertThat(rs.getString(2)).isEqualTo("invoke");
                assertThat(rs.getString(3)).isEqualTo("tool");
                assertThat(rs.getString(4)).isEqualTo(server);
                assertThat(rs.getLong(6)).isPositive();
                assertThat(rs.getString(7)).matches("\\{\"city\": ?\"(city-\\d|x|slow)\"}");
                assertThat(rs.getString(8)).isIn("forecast", "broken");
                rows.merge(rs.getString(5), 1L, Long::sum);
            }
        }
        return rows;
    }

    private static Map<String, Long> outcomes(Connection c, String server) throws SQLException {
        Map<String, Long> outcomes = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT success, error_type, entity_type, entity_id"
                     + " FROM invocation_metric")) {
            while (rs.next()) {
                assertThat(rs.getString(3)).isIn("tool", "server");
                if (rs.getString(3).equals("server")) {
                    assertThat(rs.getString(4)).isEqualTo(server);
                }
                outcomes.merge(rs.getString(3) + " " + (rs.getBoolean(1) ? "success" : rs.getString(2)), 1L,
                        Long::sum);
            }
        }
        return outcomes;
    }

    static tools.jackson.databind.JsonNode call(Client mcp, String path, String tool, String city) {
        Reply reply = mcp.send("POST", path, request(tool, city), headers(tool));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    /** A tools/call of the stateless revision, which needs no session. */
    static Map<String, Object> request(String tool, String city) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("io.modelcontextprotocol/protocolVersion", REVISION);
        meta.put("io.modelcontextprotocol/clientCapabilities", Map.of());
        meta.put("io.modelcontextprotocol/clientInfo", Map.of("name", "raw", "version", "1"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", 1);
        m.put("method", "tools/call");
        m.put("params", Map.of("name", tool, "arguments", Map.of("city", city), "_meta", meta));
        return m;
    }

    static Map<String, String> headers(String tool) {
        return Map.of("Accept", "application/json, text/event-stream", "MCP-Protocol-Version", REVISION,
                "Mcp-Method", "tools/call", "Mcp-Name", tool);
    }

    /** GET /weather/{city} answers JSON (after a second for "slow"); GET /fail answers 500. */
    static HttpServer endpoint(CountDownLatch slowArrived) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/weather/", exchange -> {
                String city = exchange.getRequestURI().getPath().substring("/weather/".length());
                if (city.equals("slow")) {
                    slowArrived.countDown();
                    try {
                        Thread.sleep(1500); // the slowness under test: this city takes 1.5 s to answer
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] bytes = ("{\"city\":\"" + city + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            http.createContext("/fail", exchange -> {
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
