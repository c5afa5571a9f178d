package dev.switchboard.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.observability.InvocationMetricRepository;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngines;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * resources/read and prompts/get are measured like tools/call, failures with an entity included, and every
 * invocation shows in Prometheus as a histogram tagged with the entity's name.
 */
class InvocationHooksTest {

    @Test
    void readsGetsAndCallsAreRecordedAndExportedToPrometheus() throws Exception {
        HttpServer weather = InvocationRecordingTest.endpoint(new CountDownLatch(1));
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                Map.of("SWITCHBOARD_METRICS_FLUSH_INTERVAL", "PT0.05S"))) {
            Client admin = gateway.admin();
            String good = admin.post("/v1/tools", Map.of("name", "forecast", "inputSchema", Map.of("type", "object",
                    "properties", Map.of("city", Map.of("type", "string"))), "request", Map.of("method", "GET",
                    "url", "http://127.0.0.1:" + weather.getAddress().getPort() + "/weather/{city}"))).id();
            String page = admin.post("/v1/resources", Map.of("uri", "docs://handbook/intro", "name", "handbook",
                    "text", "# Welcome")).id();
            String prompt = admin.post("/v1/prompts", Map.of("name", "summary", "template", "Summarize {{topic}}.",
                    "arguments", List.of(Map.of("name", "topic", "required", true)))).id();
            String server = admin.post("/v1/servers", Map.of("name", "hooked")).id();
            String base = "/v1/servers/" + server;
            admin.put(base + "/tools", Map.of("ids", List.of(good)), null);
            admin.put(base + "/resources", Map.of("ids", List.of(page)), null);
            admin.put(base + "/prompts", Map.of("ids", List.of(prompt)), null);
            Client mcp = gateway.as("alice", "mcp:use");
            String path = "/servers/" + server + "/mcp";

            InvocationRecordingTest.call(mcp, path, "forecast", "Oslo");
            InvocationRecordingTest.call(mcp, path, "forecast", "Rome");
            assertThat(send(mcp, path, "resources/read", "docs://handbook/intro", Map.of("uri",
                    "docs://handbook/intro")).json().has("result")).isTrue();
            // No entity matched: nothing to record.
            assertThat(send(mcp, path, "resources/read", "docs://nowhere", Map.of("uri", "docs://nowhere")).json()
                    .has("error")).isTrue();
            assertThat(send(mcp, path, "prompts/get", "summary", Map.of("name", "summary", "arguments",
                    Map.of("topic", "rain"))).json().has("result")).isTrue();
            assertThat(send(mcp, path, "prompts/get", "summary", Map.of("name", "summary")).json().has("error"))
                    .isTrue();
            assertThat(send(mcp, path, "prompts/get", "nothing", Map.of("name", "nothing")).json().has("error"))
                    .isTrue();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> gateway.bean(InvocationMetricRepository.class).count() >= 10);
            List<String> rows = new ArrayList<>();
            try (Connection c = gateway.database().dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT entity_type, entity_id, success, error_type"
                         + " FROM invocation_metric ORDER BY entity_type, success, started_at")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3) + " " + rs.getString(4));
                }
            }
            assertThat(rows).containsExactly("prompt " + prompt + " false invalid_params",
                    "prompt " + prompt + " true null", "resource " + page + " true null",
                    // Each counts for the virtual server too.
                    "server " + server + " false invalid_params", "server " + server + " true null",
                    "server " + server + " true null", "server " + server + " true null",
                    "server " + server + " true null",
                    "tool " + good + " true null", "tool " + good + " true null");

            Reply prometheus = gateway.withScopes("metrics:read").get("/metrics/prometheus");
            assertThat(prometheus.status()).isEqualTo(200);
            List<String> buckets = prometheus.text().lines()
                    .filter(l -> l.startsWith("switchboard_invocations_seconds_bucket{")).toList();
            assertThat(buckets).anyMatch(l -> l.contains("entity=\"forecast\"") && l.contains("entity_type=\"tool\"")
                    && l.contains("outcome=\"success\"") && l.contains("le=\"+Inf\"") && l.endsWith(" 2"));
            assertThat(buckets).anyMatch(l -> l.contains("entity=\"summary\"") && l.contains("outcome=\"failure\""));
            assertThat(buckets).anyMatch(l -> l.contains("entity=\"handbook\"")
                    && l.contains("entity_type=\"resource\""));
        } finally {
            weather.stop(0);
        }
    }

    private static Reply send(Client mcp, String path, String method, String name, Map<String, Object> params) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("io.modelcontextprotocol/protocolVersion", InvocationRecordingTest.REVISION);
        meta.put("io.modelcontextprotocol/clientCapabilities", Map.of());
        meta.put("io.modelcontextprotocol/clientInfo", Map.of("name", "raw", "version", "1"));
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("_meta", meta);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", 1);
        m.put("method", method);
        m.put("params", p);
        return mcp.send("POST", path, m, Map.of("Accept", "application/json, text/event-stream",
                "MCP-Protocol-Version", InvocationRecordingTest.REVISION, "Mcp-Method", method, "Mcp-Name", name));
    }
}
