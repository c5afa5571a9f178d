package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * API tokens narrowed to named virtual servers, on every engine: such a token speaks MCP at those servers' endpoints
 * only (every transport), is refused at other servers and at the whole catalog's endpoints with a 403 naming its
 * servers, and keeps its other scopes for the REST API.
 */
class NarrowedTokenTest {

    private static final Map<String, String> MCP_HEADERS = Map.of("Accept", "application/json, text/event-stream",
            "MCP-Protocol-Version", "2025-06-18");
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
             "capabilities":{},"clientInfo":{"name":"narrowed","version":"1"}}}""";

    @EngineTest
    void aTokenNarrowedToAServerReachesThatServerAlone(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String mine = admin.post("/v1/servers", Map.of("name", "narrow-" + UUID.randomUUID())).id();
        String other = admin.post("/v1/servers", Map.of("name", "narrow-" + UUID.randomUUID())).id();

        Reply issued = admin.post("/v1/tokens", Map.of("name", "narrow-" + UUID.randomUUID(), "expiresInDays", 1,
                "scopes", List.of("mcp:use", "catalog:read"), "servers", List.of(mine)));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        assertThat(issued.json().get("servers").toString()).isEqualTo("[\"" + mine + "\"]");
        assertThat(admin.get("/v1/tokens/" + issued.id()).json().get("servers").toString())
                .isEqualTo("[\"" + mine + "\"]");
        Client token = gateway.bearer(issued.json().get("token").asString());

        Reply allowed = token.send("POST", "/servers/" + mine + "/mcp", INITIALIZE, MCP_HEADERS);
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        for (String path : List.of("/servers/" + other + "/mcp", "/mcp", "/sse", "/servers/" + other + "/sse",
                "/servers/not-a-uuid/mcp")) {
            Reply refused = token.send("POST", path, INITIALIZE, MCP_HEADERS);
            assertThat(refused.status()).as(path + ": " + refused).isEqualTo(403);
            assertThat(refused.problemType()).isEqualTo("forbidden");
            assertThat(refused.json().get("servers").toString()).isEqualTo("[\"" + mine + "\"]");
        }
        // Its other scopes are not narrowed.
        assertThat(token.get("/v1/servers/" + other).status()).isEqualTo(200);

        // A token that is not narrowed reaches every server, as before.
        Reply wide = admin.post("/v1/tokens", Map.of("name", "wide-" + UUID.randomUUID(), "expiresInDays", 1,
                "scopes", List.of("mcp:use")));
        assertThat(wide.json().get("servers").isNull()).isTrue();
        assertThat(gateway.bearer(wide.json().get("token").asString())
                .send("POST", "/servers/" + other + "/mcp", INITIALIZE, MCP_HEADERS).status()).isEqualTo(200);

        for (Object bad : List.of(List.of(), List.of("not-a-uuid"), "x", List.of(1))) {
            Reply refused = admin.post("/v1/tokens", Map.of("name", "bad-" + UUID.randomUUID(), "expiresInDays", 1,
                    "scopes", List.of("mcp:use"), "servers", bad));
            assertThat(refused.status()).as(bad + ": " + refused).isEqualTo(422);
            assertThat(refused.json().get("field").asString()).isEqualTo("servers");
        }
    }
}
