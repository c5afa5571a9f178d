package dev.switchboard.mcp;

import static dev.switchboard.mcp.McpFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.UpstreamServers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The MCP state a replica keeps for its clients is bounded: sessions per caller and in all, parked input rounds. */
class McpLimitsTest {

    private static final String VERSION = "2025-06-18";
    private static GatewayUnderTest gateway;
    private static UpstreamServers.Http upstream;

    @BeforeAll
    static void start() {
        upstream = UpstreamServers.streamable(null);
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of(
                "SWITCHBOARD_MCP_MAX_SESSIONS", "3",
                "SWITCHBOARD_MCP_MAX_SESSIONS_PER_CALLER", "2",
                "SWITCHBOARD_MCP_MAX_INPUT_ROUNDS", "1"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void beyondItsLimitsTheLeastRecentlyUsedSessionIsEnded() {
        Client alice = gateway.as("alice", "mcp:use");
        Client bob = gateway.as("bob", "mcp:use");
        Client carol = gateway.as("carol", "mcp:use");
        String a1 = initialize(alice);
        String a2 = initialize(alice);
        assertThat(ping(alice, a1)).isEqualTo(200); // a2 is now alice's least recently used

        String a3 = initialize(alice);
        assertThat(ping(alice, a2)).as("alice's limit of 2 ended her least recently used session").isEqualTo(404);
        assertThat(ping(alice, a1)).isEqualTo(200);
        assertThat(ping(alice, a3)).isEqualTo(200);

        String b1 = initialize(bob);
        String c1 = initialize(carol);
        // Three sessions in all: a1 was used least recently of a1, a3 and b1.
        assertThat(ping(alice, a1)).as("the replica's limit of 3 ended the least recently used").isEqualTo(404);
        assertThat(ping(alice, a3)).isEqualTo(200);
        assertThat(ping(bob, b1)).isEqualTo(200);
        assertThat(ping(carol, c1)).isEqualTo(200);
    }

    @Test
    void beyondTheLimitOfParkedInputRoundsACallFailsNamingIt() {
        String slug = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Client admin = gateway.admin();
        Reply created = admin.post("/v1/gateways", Map.of("name", slug, "slug", slug, "url", upstream.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String tool = slug + ".sample";

        JsonNode parked = call2026(admin, tool, null, null).json().get("result");
        assertThat(parked.path("resultType").asString()).isEqualTo("input_required");

        Reply refused = call2026(admin, tool, null, null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(200);
        assertThat(refused.text()).contains("SWITCHBOARD_MCP_MAX_INPUT_ROUNDS=1")
                .doesNotContain("input_required");

        // Answering the parked call frees its place.
        String key = parked.path("inputRequests").properties().iterator().next().getKey();
        Reply resumed = call2026(admin, tool, parked.path("requestState").asString(), Map.of(key,
                Map.of("role", "assistant", "model", "m", "content", Map.of("type", "text", "text", "4"))));
        assertThat(resumed.json().at("/result/content/0/text").asString()).as(resumed.toString())
                .isEqualTo("sampled: 4");
        assertThat(call2026(admin, tool, null, null).json().at("/result/resultType").asString())
                .isEqualTo("input_required");
    }

    private static String initialize(Client client) {
        Reply reply = client.send("POST", "/mcp", request(1, "initialize", Map.of("protocolVersion", VERSION,
                "capabilities", Map.of(), "clientInfo", Map.of("name", "limits", "version", "1"))),
                Map.of("Accept", "application/json, text/event-stream"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.header("Mcp-Session-Id");
    }

    private static int ping(Client client, String session) {
        return client.send("POST", "/mcp", request(2, "ping", Map.of()), Map.of("Accept",
                "application/json, text/event-stream", "Mcp-Session-Id", session, "MCP-Protocol-Version", VERSION))
                .status();
    }

    private static Reply call2026(Client client, String tool, String state, Map<String, Object> responses) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", tool);
        params.put("arguments", Map.of());
        if (state != null) {
            params.put("requestState", state);
            params.put("inputResponses", responses);
        }
        return client.send("POST", "/mcp", StatelessMcp.request("tools/call", params,
                Map.of("sampling", Map.of())), StatelessMcp.headers("tools/call", tool));
    }
}
