package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who may use a virtual server over MCP, on every engine: private servers serve their team's members, shared ones
 * also the teams named, public ones anyone signed in with mcp:use; the whole catalog serves administrators only.
 * Checked for sessions (each request, so a removed member loses a session they hold), for the stateless revision
 * and for an API token narrowed to one server, which carries no more than its user's rights.
 */
class ServerVisibilityTest {

    private static final String PASSWORD = "a-long-enough-password";
    private static final String REVISION = "2025-06-18";
    private static final Map<String, String> MCP_HEADERS = Map.of("Accept", "application/json, text/event-stream",
            "MCP-Protocol-Version", REVISION);
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
             "capabilities":{},"clientInfo":{"name":"visibility","version":"1"}}}""";
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    @EngineTest
    void eachVisibilityServesItsAudience(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String red = team(admin, "red-" + run);
        String blue = team(admin, "blue-" + run);
        String alice = user(admin, "alice-" + run);
        String bob = user(admin, "bob-" + run);
        user(admin, "carol-" + run);
        join(admin, red, alice, "viewer");
        join(admin, blue, bob, "editor");

        String secret = server(admin, "secret-" + run, red, "private", null);
        String shared = server(admin, "shared-" + run, red, "shared", List.of(blue));
        String open = server(admin, "open-" + run, red, "public", null);
        Client asAlice = gateway.as("alice-" + run, "mcp:use", "tokens:manage");
        Client asBob = gateway.as("bob-" + run, "mcp:use");
        Client asCarol = gateway.as("carol-" + run, "mcp:use");

        Map<Client, List<String>> reaches = new LinkedHashMap<>();
        reaches.put(admin, List.of(secret, shared, open));
        reaches.put(asAlice, List.of(secret, shared, open));
        reaches.put(asBob, List.of(shared, open));
        reaches.put(asCarol, List.of(open));
        reaches.forEach((client, usable) -> {
            for (String server : List.of(secret, shared, open)) {
                Reply initialized = client.send("POST", "/servers/" + server + "/mcp", INITIALIZE, MCP_HEADERS);
                assertThat(initialized.status()).as(server + ": " + initialized)
                        .isEqualTo(usable.contains(server) ? 200 : 404);
                Reply stateless = client.send("POST", "/servers/" + server + "/mcp",
                        StatelessMcp.request("tools/list", Map.of(), Map.of()),
                        StatelessMcp.headers("tools/list", null));
                assertThat(stateless.status()).as(server + " statelessly: " + stateless)
                        .isEqualTo(usable.contains(server) ? 200 : 404);
            }
        });
        // The whole catalog is the administrators'.
        assertThat(admin.send("POST", "/mcp", INITIALIZE, MCP_HEADERS).status()).isEqualTo(200);
        for (Client member : List.of(asAlice, asBob, asCarol)) {
            Reply refused = member.send("POST", "/mcp", INITIALIZE, MCP_HEADERS);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.problemType()).isEqualTo("forbidden");
            assertThat(refused.json().get("detail").asString()).contains("/servers/{id}/mcp");
        }

        // A token of alice's narrowed to the private server: that server alone, and only while she may use it.
        Reply issued = asAlice.post("/v1/tokens", Map.of("name", "narrow-" + run,
                "expiresAt", Instant.now().plusSeconds(120).toString(), "scopes", List.of("mcp:use"),
                "servers", List.of(secret)));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        Client token = gateway.bearer(issued.json().get("token").asString());
        assertThat(token.send("POST", "/servers/" + secret + "/mcp", INITIALIZE, MCP_HEADERS).status())
                .isEqualTo(200);
        assertThat(token.send("POST", "/servers/" + shared + "/mcp", INITIALIZE, MCP_HEADERS).status())
                .isEqualTo(403);

        // A session alice holds ends with her membership: the next request is answered as for an unknown server.
        Reply session = asAlice.send("POST", "/servers/" + secret + "/mcp", INITIALIZE, MCP_HEADERS);
        String sessionId = session.header("Mcp-Session-Id");
        Map<String, String> inSession = new LinkedHashMap<>(MCP_HEADERS);
        inSession.put("Mcp-Session-Id", sessionId);
        assertThat(asAlice.send("POST", "/servers/" + secret + "/mcp", TOOLS_LIST, inSession).status())
                .isEqualTo(200);
        assertThat(admin.delete("/v1/teams/" + red + "/members/" + alice, null).status()).isEqualTo(204);
        assertThat(asAlice.send("POST", "/servers/" + secret + "/mcp", TOOLS_LIST, inSession).status())
                .isEqualTo(404);
        assertThat(token.send("POST", "/servers/" + secret + "/mcp", INITIALIZE, MCP_HEADERS).status())
                .isEqualTo(404);
        assertThat(asAlice.send("POST", "/servers/" + open + "/mcp", INITIALIZE, MCP_HEADERS).status())
                .isEqualTo(200);

        // Visibility changes take effect at once: the private server made public serves carol.
        Reply opened = admin.patch("/v1/servers/" + secret, Map.of("visibility", "public"),
                admin.get("/v1/servers/" + secret).etag());
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        assertThat(opened.json().get("teamId").asString()).isEqualTo(red);
        assertThat(asCarol.send("POST", "/servers/" + secret + "/mcp", INITIALIZE, MCP_HEADERS).status())
                .isEqualTo(200);
        // And the shared one, made private, no longer serves bob.
        Reply closed = admin.patch("/v1/servers/" + shared, Map.of("visibility", "private"),
                admin.get("/v1/servers/" + shared).etag());
        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertThat(closed.json().get("sharedWith")).isEmpty();
        assertThat(asBob.send("POST", "/servers/" + shared + "/mcp", INITIALIZE, MCP_HEADERS).status())
                .isEqualTo(404);
    }

    @EngineTest
    void ownershipAndVisibilityAreCheckedWhenWritten(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);

        // Left out: the default team, public, as servers made before teams existed.
        Reply plain = admin.post("/v1/servers", Map.of("name", "plain-" + run));
        assertThat(plain.status()).isEqualTo(201);
        assertThat(plain.json().get("teamId").asString()).isEqualTo("00000000-0000-0000-0000-000000000001");
        assertThat(plain.json().get("visibility").asString()).isEqualTo("public");
        assertThat(plain.json().get("sharedWith")).isEmpty();

        String green = team(admin, "green-" + run);
        assertInvalid(admin.post("/v1/servers", Map.of("name", "a-" + run, "visibility", "secret")), "visibility");
        assertInvalid(admin.post("/v1/servers", Map.of("name", "a-" + run, "visibility", "shared")), "sharedWith");
        assertInvalid(admin.post("/v1/servers", Map.of("name", "a-" + run, "visibility", "private",
                "sharedWith", List.of(green))), "sharedWith");
        assertInvalid(admin.post("/v1/servers", Map.of("name", "a-" + run, "teamId", UUID.randomUUID().toString())),
                "teamId");
        assertInvalid(admin.post("/v1/servers", Map.of("name", "a-" + run, "visibility", "shared",
                "sharedWith", List.of(UUID.randomUUID().toString()))), "sharedWith");
        assertThat(admin.get("/v1/servers?q=a-" + run).json().get("items")).isEmpty();

        // A put that leaves them out keeps them.
        String owned = server(admin, "owned-" + run, green, "shared", List.of(green));
        Reply replaced = admin.put("/v1/servers/" + owned, Map.of("name", "owned-" + run, "description", "d"),
                admin.get("/v1/servers/" + owned).etag());
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("teamId").asString()).isEqualTo(green);
        assertThat(replaced.json().get("visibility").asString()).isEqualTo("shared");
        assertThat(replaced.json().get("sharedWith").toString()).isEqualTo("[\"" + green + "\"]");

        // A team that owns servers stays until they go; the default team stays.
        Reply refused = admin.delete("/v1/teams/" + green, null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("conflict");
        Reply defaultTeam = admin.delete("/v1/teams/00000000-0000-0000-0000-000000000001", null);
        assertThat(defaultTeam.status()).as(defaultTeam.toString()).isEqualTo(409);
        assertThat(admin.delete("/v1/servers/" + owned, null).status()).isEqualTo(204);
        assertThat(admin.delete("/v1/teams/" + green, null).status()).isEqualTo(204);
    }

    private static void assertInvalid(Reply reply, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        assertThat(reply.json().get("field").asString()).as(reply.toString()).isEqualTo(field);
    }

    private static String server(Client admin, String name, String team, String visibility, List<String> sharedWith) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("teamId", team);
        body.put("visibility", visibility);
        if (sharedWith != null) {
            body.put("sharedWith", sharedWith);
        }
        Reply created = admin.post("/v1/servers", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("visibility").asString()).isEqualTo(visibility);
        return created.id();
    }

    private static String team(Client admin, String name) {
        Reply created = admin.post("/v1/teams", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.id();
    }

    private static String user(Client admin, String name) {
        Reply created = admin.post("/v1/users", Map.of("username", name, "password", PASSWORD));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.id();
    }

    private static void join(Client admin, String team, String user, String role) {
        Reply joined = admin.put("/v1/teams/" + team + "/members/" + user, Map.of("role", role), null);
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
    }
}
