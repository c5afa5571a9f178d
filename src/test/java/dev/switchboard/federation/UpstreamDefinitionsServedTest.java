package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an upstream said reaches clients as it said it, on every engine: discovery stores an upstream's schemas as
 * sent and the registry API and tools/list give them back byte for byte (member order, 1.50, long fractions);
 * title, icons and _meta of tools, prompts, resources and templates are listed at the revisions that define them;
 * and a virtual server that fronts one upstream speaks with that upstream's instructions, unless the operator gave
 * it instructions of its own.
 */
class UpstreamDefinitionsServedTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Properties b before a; numbers a double or a plain decimal would respell (1.5, 1.2345678901234567E19, 0.25,
     * 15.0, -0.5).
     */
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"number\","
            + "\"default\":1.50,\"maximum\":12345678901234567890.125,\"multipleOf\":2.5E-1},"
            + "\"a\":{\"type\":\"string\",\"minLength\":0}},"
            + "\"required\":[\"b\"]}";
    private static final String OUTPUT = "{\"type\":\"object\",\"properties\":{\"y\":{\"type\":\"integer\"},"
            + "\"x\":{\"type\":\"number\",\"minimum\":-0.50,\"maximum\":1.50e1}}}";
    private static final String ICONS = "[{\"src\":\"https://icons.example/odd.png\",\"mimeType\":\"image/png\","
            + "\"sizes\":[\"48x48\"]}]";
    private static final String META = "{\"z\":1,\"a\":{\"y\":2.50,\"e\":-1.5e+3,\"b\":[true,null]}}";

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static VerbatimUpstream upstream(String suffix, String instructions) throws Exception {
        return new VerbatimUpstream(instructions, Map.of(
                "tools/list", "{\"tools\":[{\"name\":\"odd\",\"title\":\"Odd one out\",\"description\":\"odd order\","
                        + "\"inputSchema\":" + SCHEMA + ",\"outputSchema\":" + OUTPUT + ",\"icons\":" + ICONS
                        + ",\"_meta\":" + META + "}]}",
                "prompts/list", "{\"prompts\":[{\"name\":\"brief\",\"title\":\"Brief\",\"arguments\":[{\"name\":"
                        + "\"topic\",\"title\":\"Topic\",\"required\":true},{\"name\":\"tone\"}],"
                        + "\"icons\":[{\"src\":\"https://icons.example/brief.png\"}],"
                        + "\"_meta\":{\"k\":\"v\"}}]}",
                "resources/list", "{\"resources\":[{\"uri\":\"verbatim://" + suffix + "/notes\",\"name\":\"notes\","
                        + "\"title\":\"Notes\",\"mimeType\":\"text/plain\",\"icons\":[{\"src\":"
                        + "\"https://icons.example/notes.png\"}],\"_meta\":{\"r\":true}}]}",
                "resources/templates/list", "{\"resourceTemplates\":[{\"uriTemplate\":\"verbatim://" + suffix
                        + "/notes/{id}\",\"name\":\"note\",\"title\":\"A note\",\"icons\":[{\"src\":"
                        + "\"https://icons.example/note.png\"}],\"_meta\":{\"t\":[1,2]}}]}"));
    }

    /** Registers {@code upstream} (which discovers it) and returns its id. */
    private static String register(Client admin, VerbatimUpstream upstream, String name) {
        Reply created = admin.post("/v1/gateways", Map.of("name", name, "url", upstream.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.id();
    }

    /** A virtual server holding every entry of these upstreams. */
    private static String server(Client admin, String... gateways) {
        String server = admin.post("/v1/servers", Map.of("name", "vs-" + unique(), "description",
                "the operator's description")).id();
        for (String gateway : gateways) {
            Reply added = admin.post("/v1/servers/" + server + "/members", Map.of("gateway", gateway));
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
        }
        return server;
    }

    /** An MCP session of {@code version} on the server: the initialize result and a way to ask it more. */
    private record Session(Client client, String path, String version, String id, JsonNode initialized) {

        static Session open(Client client, String path, String version) {
            Reply init = client.send("POST", path, Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
                    "params", Map.of("protocolVersion", version, "capabilities", Map.of(),
                            "clientInfo", Map.of("name", "raw", "version", "1"))),
                    Map.of("Accept", "application/json, text/event-stream"));
            assertThat(init.status()).as(init.toString()).isEqualTo(200);
            assertThat(init.json().at("/result/protocolVersion").asString()).isEqualTo(version);
            return new Session(client, path, version, init.header("Mcp-Session-Id"), init.json().get("result"));
        }

        /** The raw text of the answer to {@code method}. */
        String ask(String method) {
            return ask(method, Map.of());
        }

        /**
         * The raw text of every page of {@code method}'s answer, joined: a shared registry's whole catalog holds
         * other tests' entries too, so the one looked for may be on any page.
         */
        String askEveryPage(String method) {
            StringBuilder pages = new StringBuilder();
            String cursor = null;
            do {
                String page = ask(method, cursor == null ? Map.of() : Map.of("cursor", cursor));
                pages.append(page);
                JsonNode next = JSON.readTree(page).at("/result/nextCursor");
                cursor = next.isString() ? next.asString() : null;
            } while (cursor != null);
            return pages.toString();
        }

        private String ask(String method, Map<String, Object> params) {
            Reply reply = client.send("POST", path, Map.of("jsonrpc", "2.0", "id", 2, "method", method,
                            "params", params),
                    Map.of("Accept", "application/json, text/event-stream", "Mcp-Session-Id", id,
                            "MCP-Protocol-Version", version));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().has("result")).as(reply.text()).isTrue();
            return reply.text();
        }
    }

    @EngineTest
    void schemasComeBackByteForByteThroughTheApiAndTools(TestEngine engine) throws Exception {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String suffix = unique();
        try (VerbatimUpstream upstream = upstream(suffix, null)) {
            String gatewayId = register(admin, upstream, "verbatim-" + suffix);
            JsonNode tool = null;
            for (JsonNode item : admin.get("/v1/tools?limit=500").json().get("items")) {
                if (gatewayId.equals(item.path("gatewayId").asString(null))) {
                    tool = item;
                }
            }
            assertThat(tool).as("the discovered tool").isNotNull();
            String stored = admin.get("/v1/tools/" + tool.get("id").asString()).text();
            assertThat(stored).contains("\"inputSchema\":" + SCHEMA).contains("\"outputSchema\":" + OUTPUT);

            String server = server(admin, gatewayId);
            Session session = Session.open(gateway.as("alice", "mcp:use"), "/servers/" + server + "/mcp",
                    "2025-11-25");
            assertThat(session.ask("tools/list")).contains("\"inputSchema\":" + SCHEMA)
                    .contains("\"outputSchema\":" + OUTPUT);
            // The whole catalog serves the same bytes.
            Session whole = Session.open(gateway.as("alice", "mcp:use"), "/mcp", "2025-11-25");
            assertThat(whole.askEveryPage("tools/list")).contains("\"inputSchema\":" + SCHEMA);
        }
    }

    @EngineTest
    void titlesIconsAndMetaAreListedAtTheRevisionsThatDefineThem(TestEngine engine) throws Exception {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String suffix = unique();
        try (VerbatimUpstream upstream = upstream(suffix, null)) {
            String server = server(admin, register(admin, upstream, "verbatim-" + suffix));
            String path = "/servers/" + server + "/mcp";
            Client mcp = gateway.as("alice", "mcp:use");

            Session latest = Session.open(mcp, path, "2025-11-25");
            assertThat(latest.ask("tools/list")).contains("\"title\":\"Odd one out\"")
                    .contains("\"icons\":" + ICONS).contains("\"_meta\":" + META);
            // A prompt's arguments as sent: the argument's title kept, no "required" added where none was sent.
            assertThat(latest.ask("prompts/list")).contains("\"title\":\"Brief\"")
                    .contains("\"arguments\":[{\"name\":\"topic\",\"title\":\"Topic\",\"required\":true},"
                            + "{\"name\":\"tone\"}]")
                    .contains("\"icons\":[{\"src\":\"https://icons.example/brief.png\"}]")
                    .contains("\"_meta\":{\"k\":\"v\"}");
            assertThat(latest.ask("resources/list")).contains("\"title\":\"Notes\"")
                    .contains("\"icons\":[{\"src\":\"https://icons.example/notes.png\"}]")
                    .contains("\"_meta\":{\"r\":true}");
            assertThat(latest.ask("resources/templates/list")).contains("\"title\":\"A note\"")
                    .contains("\"icons\":[{\"src\":\"https://icons.example/note.png\"}]")
                    .contains("\"_meta\":{\"t\":[1,2]}");

            // 2025-06-18 has titles and _meta, not icons.
            Session june = Session.open(mcp, path, "2025-06-18");
            for (String method : List.of("tools/list", "prompts/list", "resources/list",
                    "resources/templates/list")) {
                assertThat(june.ask(method)).as(method).contains("\"title\":").contains("\"_meta\":")
                        .doesNotContain("\"icons\":");
            }
            assertThat(june.ask("tools/list")).contains("\"_meta\":" + META);

            // 2025-03-26 and 2024-11-05 have none of them.
            for (String version : List.of("2025-03-26", "2024-11-05")) {
                Session old = Session.open(mcp, path, version);
                for (String method : List.of("tools/list", "prompts/list", "resources/list",
                        "resources/templates/list")) {
                    assertThat(old.ask(method)).as(version + " " + method).doesNotContain("\"title\":")
                            .doesNotContain("\"_meta\":").doesNotContain("\"icons\":");
                }
            }

            // 2026-07-28, without a session.
            Map<String, Object> request = StatelessMcp.request("tools/list", Map.of(), Map.of());
            Reply stateless = mcp.send("POST", path, request, StatelessMcp.headers("tools/list", null));
            assertThat(stateless.status()).as(stateless.toString()).isEqualTo(200);
            assertThat(stateless.text()).contains("\"title\":\"Odd one out\"").contains("\"icons\":" + ICONS)
                    .contains("\"_meta\":" + META).contains("\"inputSchema\":" + SCHEMA);
        }
    }

    @EngineTest
    void aServerThatFrontsOneUpstreamSpeaksWithItsInstructionsUnlessTheOperatorGaveItOthers(TestEngine engine)
            throws Exception {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        Client mcp = gateway.as("alice", "mcp:use");
        String one = unique();
        String two = unique();
        try (VerbatimUpstream first = upstream(one, "Ask for notes before writing one.");
             VerbatimUpstream second = upstream(two, "Something else entirely.")) {
            String firstId = register(admin, first, "verbatim-" + one);
            String secondId = register(admin, second, "verbatim-" + two);

            String fronting = server(admin, firstId);
            String path = "/servers/" + fronting + "/mcp";
            assertThat(Session.open(mcp, path, "2025-11-25").initialized().get("instructions").asString())
                    .isEqualTo("Ask for notes before writing one.");
            Reply discovered = mcp.send("POST", path, StatelessMcp.request("server/discover", Map.of(), Map.of()),
                    StatelessMcp.headers("server/discover", null));
            assertThat(discovered.json().at("/result/instructions").asString())
                    .isEqualTo("Ask for notes before writing one.");

            // The operator's own instructions win, and the API shows them.
            Reply current = admin.get("/v1/servers/" + fronting);
            assertThat(current.json().path("instructions").isString()).as(current.text()).isFalse();
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("instructions", "Only read, never write.");
            Reply patched = admin.patch("/v1/servers/" + fronting, patch, current.etag());
            assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
            assertThat(admin.get("/v1/servers/" + fronting).json().get("instructions").asString())
                    .isEqualTo("Only read, never write.");
            assertThat(Session.open(mcp, path, "2025-11-25").initialized().get("instructions").asString())
                    .isEqualTo("Only read, never write.");

            // Two upstreams behind one server: neither speaks for it; the description does, as before.
            String both = server(admin, firstId, secondId);
            assertThat(Session.open(mcp, "/servers/" + both + "/mcp", "2025-11-25").initialized()
                    .get("instructions").asString()).isEqualTo("the operator's description");

            // Instructions longer than the API takes are refused, and nothing changes.
            Reply tooLong = admin.patch("/v1/servers/" + fronting, Map.of("instructions", "x".repeat(65_537)),
                    admin.get("/v1/servers/" + fronting).etag());
            assertThat(tooLong.status()).isEqualTo(422);
            assertThat(tooLong.contentType()).startsWith("application/problem+json");
            assertThat(admin.get("/v1/servers/" + fronting).json().get("instructions").asString())
                    .isEqualTo("Only read, never write.");
        }
    }
}
