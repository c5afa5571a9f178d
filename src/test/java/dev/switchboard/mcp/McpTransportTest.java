package dev.switchboard.mcp;

import static dev.switchboard.mcp.McpFixtures.unique;
import static dev.switchboard.mcp.McpFixtures.request;
import static dev.switchboard.mcp.McpFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.Revision;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the SDK cannot show: the transport's answers to broken, unauthorised and out-of-place requests, spoken
 * as raw HTTP. The engine does not matter here, so these run on SQLite only.
 */
class McpTransportTest {

    private static final String JSON_AND_SSE = "application/json, text/event-stream";
    private static GatewayUnderTest gateway;
    private static Client mcp;
    private static String server;

    @BeforeAll
    static void start() {
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
        mcp = gateway.as("alice", "mcp:use");
        Client admin = gateway.admin();
        String tool = admin.post("/v1/tools", Map.of("name", unique("weather"), "displayName", "weather",
                "inputSchema", Map.of("type", "object", "required", List.of("city"),
                        "properties", Map.of("city", Map.of("type", "string"))),
                "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/{city}"))).id();
        server = admin.post("/v1/servers", Map.of("name", unique("raw"))).id();
        assertThat(admin.put("/v1/servers/" + server + "/tools", Map.of("ids", List.of(tool)), null).status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }


    private static String path() {
        return "/servers/" + server + "/mcp";
    }


    private static Reply post(Client client, String path, String session, String version, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", JSON_AND_SSE);
        if (session != null) {
            headers.put("Mcp-Session-Id", session);
        }
        if (version != null) {
            headers.put("MCP-Protocol-Version", version);
        }
        return client.send("POST", path, body, headers);
    }

    /** Opens a session on {@code path} for {@code client} and returns its id. */
    private static String initialize(Client client, String path, String version) {
        Reply reply = post(client, path, null, null, request(1, "initialize", Map.of("protocolVersion", version,
                "capabilities", Map.of(), "clientInfo", Map.of("name", "raw", "version", "1"))));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().at("/result/protocolVersion").asString()).isEqualTo(version);
        String session = reply.header("Mcp-Session-Id");
        assertThat(session).isNotBlank();
        assertThat(post(client, path, session, version, Map.of("jsonrpc", "2.0", "method",
                "notifications/initialized")).status()).isEqualTo(202);
        return session;
    }


    @Test
    void negotiatesTheClientsRevisionOrOffersTheLatest() {
        for (String version : Revision.SESSION.stream().map(Revision::wire).toList()) {
            initialize(mcp, path(), version);
        }
        Reply old = post(mcp, path(), null, null, request("a", "initialize", Map.of("protocolVersion", "2023-01-01",
                "capabilities", Map.of(), "clientInfo", Map.of("name", "raw", "version", "1"))));
        assertThat(old.json().at("/result/protocolVersion").asString()).isEqualTo("2025-11-25");
        assertThat(old.json().at("/result/serverInfo/name").asString()).isEqualTo("switchboard");
        assertThat(old.json().get("id").asString()).isEqualTo("a");
    }

    @Test
    void brokenMessagesGetTheJsonRpcErrorsForThem() {
        String session = initialize(mcp, path(), "2025-06-18");
        error(post(mcp, path(), session, "2025-06-18", "{\"jsonrpc\": \"2.0\", "), 400, -32700);
        error(post(mcp, path(), session, "2025-06-18", ""), 400, -32700);
        error(post(mcp, path(), session, "2025-06-18", Map.of("jsonrpc", "1.0", "id", 1, "method", "ping")), 400,
                -32600);
        error(post(mcp, path(), session, "2025-06-18", Map.of("jsonrpc", "2.0", "id", 1, "method", 7)), 400, -32600);
        error(post(mcp, path(), session, "2025-06-18", "[1, 2]"), 400, -32600);
        error(post(mcp, path(), session, "2025-06-18", request(2, "tools/frobnicate", Map.of())), 200, -32601);
        error(post(mcp, path(), session, "2025-06-18", request(3, "tools/list", Map.of("cursor", "%%%"))), 200,
                -32602);
        error(post(mcp, path(), session, "2025-06-18", request(4, "prompts/get", Map.of("name", "none"))), 200,
                -32602);
        JsonNode missing = error(post(mcp, path(), session, "2025-06-18",
                request(5, "resources/read", Map.of("uri", "docs://nothing/here"))), 200, -32002);
        assertThat(missing.get("message").asString()).isEqualTo("Resource not found");
        assertThat(missing.at("/data/uri").asString()).isEqualTo("docs://nothing/here");

        // Bodies are capped like every request's (1 MiB by default), before anything reads them as JSON-RPC.
        Reply oversized = post(mcp, path(), session, "2025-06-18", request(6, "tools/call", Map.of("name", "weather",
                "arguments", Map.of("city", "x".repeat(1_100_000)))));
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.problemType()).isEqualTo("payload-too-large");
    }

    @Test
    void argumentsThatViolateTheInputSchemaAreInvalidParams() {
        String session = initialize(mcp, path(), "2025-06-18");
        JsonNode wrongType = error(post(mcp, path(), session, "2025-06-18", request(1, "tools/call",
                Map.of("name", "weather", "arguments", Map.of("city", 5)))), 200, -32602);
        assertThat(wrongType.at("/data/violations").size()).isEqualTo(1);
        assertThat(wrongType.at("/data/violations/0").asString()).contains("city");
        error(post(mcp, path(), session, "2025-06-18", request(2, "tools/call",
                Map.of("name", "weather", "arguments", Map.of()))), 200, -32602);
        error(post(mcp, path(), session, "2025-06-18", request(3, "tools/call",
                Map.of("name", "no-such-tool", "arguments", Map.of()))), 200, -32602);
    }

    @Test
    void headersAndSessionsAreChecked() {
        String session = initialize(mcp, path(), "2025-11-25");
        Map<String, Object> ping = request(9, "ping", Map.of());
        assertThat(post(mcp, path(), session, "2025-11-25", ping).json().get("result").isObject()).isTrue();
        // Without the version header the spec has the server assume a revision; the session still works.
        assertThat(post(mcp, path(), session, null, ping).status()).isEqualTo(200);
        // A revision we do not speak is refused as 2026-07-28 prescribes, listing the ones we do.
        JsonNode unknown = error(post(mcp, path(), session, "1999-01-01", ping), 400, -32022);
        assertThat(unknown.at("/data/requested").asString()).isEqualTo("1999-01-01");
        assertThat(unknown.at("/data/supported").toString()).contains("2025-11-25");
        error(post(mcp, path(), null, "2025-11-25", ping), 400, -32600);
        error(post(mcp, path(), "not-a-session", "2025-11-25", ping), 404, -32001);
        Reply sseOnly = mcp.send("POST", path(), ping, Map.of("Accept", "text/event-stream",
                "Mcp-Session-Id", session));
        assertThat(sseOnly.status()).isEqualTo(406);

        // Another identity, even with the right scope, cannot tell the session from one that does not exist.
        Client bob = gateway.as("bob", "mcp:use");
        error(post(bob, path(), session, "2025-11-25", ping), 404, -32001);
        assertThat(bob.send("DELETE", path(), null, Map.of("Mcp-Session-Id", session)).status()).isEqualTo(404);
        // Nor does a session of one endpoint work on another.
        error(post(mcp, "/mcp", session, "2025-11-25", ping), 404, -32001);

        assertThat(post(mcp, path(), session, "2025-11-25", Map.of("jsonrpc", "2.0", "method",
                "notifications/cancelled", "params", Map.of("requestId", 1))).status()).isEqualTo(202);
        assertThat(post(mcp, path(), session, "2025-11-25", Map.of("jsonrpc", "2.0", "id", 77, "result",
                Map.of())).status()).isEqualTo(202);
        // The GET stream is SSE only (McpStreamTest reads it); asked for JSON, it refuses.
        assertThat(mcp.send("GET", path(), null, Map.of("Accept", "application/json",
                "Mcp-Session-Id", session)).status()).isEqualTo(406);

        assertThat(mcp.send("DELETE", path(), null, Map.of("Mcp-Session-Id", session)).status()).isEqualTo(204);
        error(post(mcp, path(), session, "2025-11-25", ping), 404, -32001);
        assertThat(mcp.send("DELETE", path(), null, Map.of("Mcp-Session-Id", session)).status()).isEqualTo(404);
        assertThat(mcp.send("DELETE", path(), null, Map.of()).status()).isEqualTo(400);
    }

    @Test
    void batchesOnlyIn2025_03_26() {
        String old = initialize(mcp, path(), "2025-03-26");
        Reply batch = post(mcp, path(), old, "2025-03-26", List.of(request(1, "ping", Map.of()),
                Map.of("jsonrpc", "2.0", "method", "notifications/initialized"), request(2, "nope", Map.of()),
                request(3, "initialize", Map.of())));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        assertThat(batch.json().size()).isEqualTo(3);
        assertThat(batch.json().get(0).get("result").isObject()).isTrue();
        assertThat(batch.json().get(1).at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(batch.json().get(2).at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(post(mcp, path(), old, "2025-03-26", List.of(Map.of("jsonrpc", "2.0", "method",
                "notifications/initialized"))).status()).isEqualTo(202);
        error(post(mcp, path(), old, "2025-03-26", List.of()), 400, -32600);

        String current = initialize(mcp, path(), "2025-06-18");
        error(post(mcp, path(), current, "2025-06-18", List.of(request(1, "ping", Map.of()))), 400, -32600);
    }

    @Test
    void onlyCredentialsWithTheMcpScopeGetIn() {
        Map<String, Object> init = request(1, "initialize", Map.of("protocolVersion", "2025-06-18"));
        for (String p : List.of(path(), "/mcp")) {
            Reply anonymous = post(gateway.anonymous(), p, null, null, init);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.problemType()).isEqualTo("unauthorized");
            Reply reader = post(gateway.withScopes("catalog:read", "catalog:write"), p, null, null, init);
            assertThat(reader.status()).isEqualTo(403);
            assertThat(reader.problemType()).isEqualTo("forbidden");
            assertThat(post(gateway.admin(), p, null, null, init).status()).isEqualTo(200);
        }
    }

    @Test
    void unknownAndDisabledServersAreNotFound() {
        Map<String, Object> init = request(1, "initialize", Map.of("protocolVersion", "2025-06-18"));
        error(post(mcp, "/servers/" + UUID.randomUUID() + "/mcp", null, null, init), 404, -32600);
        error(post(mcp, "/servers/not-a-uuid/mcp", null, null, init), 404, -32600);
        Client admin = gateway.admin();
        String disabled = admin.post("/v1/servers", Map.of("name", unique("off"), "enabled", false)).id();
        error(post(mcp, "/servers/" + disabled + "/mcp", null, null, init), 404, -32600);
    }
}
