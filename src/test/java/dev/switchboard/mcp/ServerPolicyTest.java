package dev.switchboard.mcp;

import static dev.switchboard.mcp.McpFixtures.request;
import static dev.switchboard.mcp.McpFixtures.unique;
import static dev.switchboard.mcp.McpFixtures.weatherService;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Per-tool policies in CEL on every engine, spoken over MCP: an allow rule admits a team's members, a deny rule
 * refuses a call by its argument's value, and a tool the policy refuses a caller is not in that caller's list, its
 * call refused with a JSON-RPC error that says so; a rule that does not compile is refused when written.
 */
class ServerPolicyTest {

    private static final String PASSWORD = "a-long-enough-password";
    private static final Map<String, String> MCP_HEADERS = Map.of("Accept", "application/json, text/event-stream",
            "MCP-Protocol-Version", "2025-06-18");

    @EngineTest
    void rulesDecideWhoSeesAndCallsEachTool(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        HttpServer service = weatherService(city -> "{\"city\":\"" + city + "\"}");
        try {
            String base = "http://127.0.0.1:" + service.getAddress().getPort() + "/weather/";
            String forecast = tool(admin, "forecast", base + "{city}", "city", "string");
            String payout = tool(admin, "payout", base + "payout", "amount", "number");
            String report = tool(admin, "audit-report", base + "report", "year", "integer");
            String sre = admin.post("/v1/teams", Map.of("name", unique("sre"))).id();
            String sreName = admin.get("/v1/teams/" + sre).json().get("name").asString();
            String dana = unique("dana");
            String eve = unique("eve");
            String danaId = admin.post("/v1/users", Map.of("username", dana, "password", PASSWORD)).id();
            admin.post("/v1/users", Map.of("username", eve, "password", PASSWORD));
            assertThat(admin.put("/v1/teams/" + sre + "/members/" + danaId, Map.of("role", "viewer"), null)
                    .status()).isEqualTo(200);

            List<Map<String, Object>> policy = List.of(
                    Map.of("effect", "allow", "when", "'" + sreName + "' in caller.teams || request.tool == 'forecast'"),
                    Map.of("effect", "deny", "when", "request.tool == 'payout' && request.arguments.amount > 1000",
                            "description", "payouts over 1000 need a person"));
            Reply created = admin.post("/v1/servers", Map.of("name", unique("policed"), "policy", policy));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().get("policy").size()).isEqualTo(2);
            String server = created.id();
            assertThat(admin.put("/v1/servers/" + server + "/tools", Map.of("ids", List.of(forecast, payout, report)),
                    null).status()).isEqualTo(200);
            String path = "/servers/" + server + "/mcp";

            Session asDana = Session.open(gateway.as(dana, "mcp:use"), path);
            Session asEve = Session.open(gateway.as(eve, "mcp:use"), path);
            assertThat(asDana.toolNames()).containsExactly("audit-report", "forecast", "payout");
            // eve is in no team: the allow rule admits her to the forecast alone.
            assertThat(asEve.toolNames()).containsExactly("forecast");

            assertThat(asDana.call("payout", Map.of("amount", 250)).get("result")).isNotNull();
            JsonNode large = asDana.call("payout", Map.of("amount", 5000.5)).get("error");
            assertThat(large.get("code").asInt()).isEqualTo(JsonRpc.REFUSED_BY_POLICY);
            assertThat(large.get("message").asString()).startsWith("Refused by policy")
                    .contains("payouts over 1000 need a person");
            JsonNode hidden = asEve.call("audit-report", Map.of("year", 2026)).get("error");
            assertThat(hidden.get("code").asInt()).isEqualTo(JsonRpc.REFUSED_BY_POLICY);
            assertThat(hidden.get("message").asString()).contains("no allow rule matched");
            assertThat(asEve.call("forecast", Map.of("city", "Oslo")).get("result")).isNotNull();

            // The stateless revision is held to the same rules.
            Reply listed = gateway.as(eve, "mcp:use").send("POST", path,
                    StatelessMcp.request("tools/list", Map.of(), Map.of()), StatelessMcp.headers("tools/list", null));
            assertThat(names(listed.json().get("result").get("tools"))).containsExactly("forecast");

            // Administrators are held to the policy too: its rules name who may call what.
            assertThat(Session.open(admin, path).toolNames()).containsExactly("forecast");

            // An empty policy removes it.
            Reply cleared = admin.patch("/v1/servers/" + server, Map.of("policy", List.of()),
                    admin.get("/v1/servers/" + server).etag());
            assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
            assertThat(cleared.json().get("policy")).isEmpty();
            assertThat(asEve.toolNames()).containsExactly("audit-report", "forecast", "payout");
        } finally {
            service.stop(0);
        }
    }

    @EngineTest
    void aRuleThatDoesNotCompileIsRefusedNamingItsPosition(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        String name = unique("uncompiled");
        Reply refused = admin.post("/v1/servers", Map.of("name", name, "policy", List.of(
                Map.of("effect", "allow", "when", "true"),
                Map.of("effect", "deny", "when", "request.tool == 'x' &&"))));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("validation-failed");
        assertThat(refused.json().get("field").asString()).isEqualTo("policy[1].when");
        assertThat(refused.json().get("detail").asString()).contains("line 1, column 23");
        assertThat(admin.get("/v1/servers?q=" + name).json().get("items")).isEmpty();

        Reply badEffect = admin.post("/v1/servers", Map.of("name", name, "policy", List.of(
                Map.of("effect", "perhaps", "when", "true"))));
        assertThat(badEffect.status()).isEqualTo(422);
        assertThat(badEffect.json().get("field").asString()).isEqualTo("policy[0].effect");
    }

    private static String tool(Client admin, String displayName, String url, String argument, String type) {
        Reply created = admin.post("/v1/tools", Map.of("name", unique(displayName), "displayName", displayName,
                "inputSchema", Map.of("type", "object", "properties", Map.of(argument, Map.of("type", type))),
                "request", Map.of("method", "GET", "url", url)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.id();
    }

    private static List<String> names(JsonNode tools) {
        List<String> names = new ArrayList<>();
        tools.forEach(t -> names.add(t.get("name").asString()));
        return names.stream().sorted().toList();
    }

    /** One MCP session of one caller at one endpoint, spoken as raw JSON-RPC over HTTP. */
    private record Session(Client client, String path, Map<String, String> headers) {

        static Session open(Client client, String path) {
            Reply initialized = client.send("POST", path, request(1, "initialize", Map.of(
                    "protocolVersion", "2025-06-18", "capabilities", Map.of(),
                    "clientInfo", Map.of("name", "policy", "version", "1"))), MCP_HEADERS);
            assertThat(initialized.status()).as(initialized.toString()).isEqualTo(200);
            Map<String, String> headers = new LinkedHashMap<>(MCP_HEADERS);
            headers.put("Mcp-Session-Id", initialized.header("Mcp-Session-Id"));
            return new Session(client, path, headers);
        }

        List<String> toolNames() {
            Reply listed = client.send("POST", path, request(2, "tools/list", Map.of()), headers);
            assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
            return names(listed.json().get("result").get("tools"));
        }

        JsonNode call(String tool, Map<String, Object> arguments) {
            Reply called = client.send("POST", path, request(3, "tools/call",
                    Map.of("name", tool, "arguments", arguments)), headers);
            assertThat(called.status()).as(called.toString()).isEqualTo(200);
            return called.json();
        }
    }
}
