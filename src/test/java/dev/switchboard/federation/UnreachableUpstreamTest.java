package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.SseReader;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.UpstreamServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An upstream that stops answering: after N failed checks it is unreachable and its tools leave the MCP lists
 * (calls to them fail at once, listeners hear list_changed); started again on the same port, it is reachable again
 * and its tools come back.
 * Health never changes the gateway's ETag.
 */
class UnreachableUpstreamTest {

    private static final String REVISION = "2026-07-28";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @EngineTest
    void anUpstreamThatStopsAnsweringIsHiddenAfterNFailuresAndComesBack(TestEngine engine) throws Exception {
        Map<String, String> settings = Map.of("SWITCHBOARD_UPSTREAM_HEALTH_INTERVAL", "PT0.2S",
                "SWITCHBOARD_UPSTREAM_UNHEALTHY_AFTER", "3",
                "SWITCHBOARD_UPSTREAM_HEALTH_TIMEOUT", "PT1S",
                "SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL", "PT0.1S");
        UpstreamServers.Http upstream = UpstreamServers.streamable(null);
        int port = upstream.port();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(engine.newDatabaseUrl(), settings)) {
            GatewayUnderTest.Client admin = gateway.admin();
            GatewayUnderTest.Client mcp = gateway.as("alice", "mcp:use");
            String slug = "flaky" + UUID.randomUUID().toString().substring(0, 8);
            UUID id = UUID.fromString(admin.post("/v1/gateways", Map.of("name", slug, "url", upstream.url())).id());
            String federated = slug + "__text";
            gateway.bean(ToolRepository.class).create(new Tool(null, id, federated, "text", "text",
                    IntegrationType.MCP, "answers with text", "{\"type\":\"object\"}", null, null, null,
                    AuthType.NONE, null, true, Set.of(), null, null, null, 0));
            String etag = admin.get("/v1/gateways/" + id).etag();

            // A gateway is read, then its health: wait for both, since a check may commit between the two reads.
            await(admin, id, g -> g.get("reachable").asBoolean() && !g.get("lastSeenAt").isNull()
                    && !g.at("/health/lastCheckedAt").isNull() && g.at("/health/consecutiveFailures").asInt() == 0);
            assertThat(toolNames(mcp)).contains(federated);

            try (SseReader listener = listen(gateway, mcp)) {
                assertThat(listener.next(10).json().get("method").asString())
                        .isEqualTo("notifications/subscriptions/acknowledged");

                upstream.close();
                JsonNode down = await(admin, id, g -> !g.get("reachable").asBoolean());
                assertThat(down.at("/health/consecutiveFailures").asInt()).isGreaterThanOrEqualTo(3);
                assertThat(down.at("/health/lastError").asString()).isNotBlank();
                assertThat(toolNames(mcp)).doesNotContain(federated);
                assertThat(listener.next(10).json().get("method").asString())
                        .isEqualTo("notifications/tools/list_changed");
                long before = System.nanoTime();
                JsonNode refused = call(mcp, federated);
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
                // Not listed, but still found by name: the call fails at once, saying why.
                assertThat(refused.at("/result/isError").asBoolean()).as(refused.toString()).isTrue();
                assertThat(refused.at("/result/content/0/text").asString()).contains("unreachable");

                upstream = UpstreamServers.streamable(null, port);
                JsonNode back = await(admin, id, g -> g.get("reachable").asBoolean());
                assertThat(back.at("/health/consecutiveFailures").asInt()).isZero();
                assertThat(back.at("/health/lastError").isNull()).isTrue();
                assertThat(toolNames(mcp)).contains(federated);
                assertThat(listener.next(10).json().get("method").asString())
                        .isEqualTo("notifications/tools/list_changed");
            }
            assertThat(admin.get("/v1/gateways/" + id).etag()).as("health checks never change the version")
                    .isEqualTo(etag);
        } finally {
            upstream.close();
        }
    }

    private static JsonNode await(GatewayUnderTest.Client admin, UUID id, Predicate<JsonNode> condition)
            throws InterruptedException {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        last.set(admin.get("/v1/gateways/" + id).json());
                        return last.get();
                    }, condition::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the gateway never got there; last seen: " + last.get());
        }
    }

    /** A 2026-07-28 subscriptions/listen stream for tool list changes on /mcp. */
    private static SseReader listen(GatewayUnderTest gateway, GatewayUnderTest.Client mcp) {
        Map<String, Object> body = Map.of("jsonrpc", "2.0", "id", 2, "method", "subscriptions/listen",
                "params", Map.of("notifications", Map.of("toolsListChanged", true), "_meta", meta()));
        return SseReader.open(gateway.baseUrl() + "/mcp", JSON.writeValueAsString(body), Map.of(
                "Accept", "application/json, text/event-stream", "MCP-Protocol-Version", REVISION,
                "Mcp-Method", "subscriptions/listen", "Authorization", mcp.authorization()));
    }

    private static Map<String, Object> meta() {
        return Map.of("io.modelcontextprotocol/protocolVersion", REVISION,
                "io.modelcontextprotocol/clientCapabilities", Map.of(),
                "io.modelcontextprotocol/clientInfo", Map.of("name", "raw", "version", "1"));
    }

    private static List<String> toolNames(GatewayUnderTest.Client mcp) {
        JsonNode reply = send(mcp, "tools/list", null, Map.of());
        return reply.at("/result/tools").valueStream().map(t -> t.get("name").asString()).toList();
    }

    private static JsonNode call(GatewayUnderTest.Client mcp, String tool) {
        return send(mcp, "tools/call", tool, Map.of("name", tool, "arguments", Map.of("name", "x")));
    }

    private static JsonNode send(GatewayUnderTest.Client mcp, String method, String name, Map<String, Object> params) {
        GatewayUnderTest.Reply reply = mcp.send("POST", "/mcp", StatelessMcp.request(method, params, Map.of()),
                StatelessMcp.headers(method, name));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }
}
