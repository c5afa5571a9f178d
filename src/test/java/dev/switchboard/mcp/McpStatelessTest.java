package dev.switchboard.mcp;

import static dev.switchboard.mcp.McpFixtures.error;
import static dev.switchboard.mcp.McpFixtures.unique;
import static dev.switchboard.mcp.McpFixtures.weatherService;
import static dev.switchboard.testing.StatelessMcp.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.SseReader;
import dev.switchboard.testing.SseReader.Event;
import dev.switchboard.testing.TestEngines;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stateless revision 2026-07-28 spoken as raw HTTP, to reach what an SDK client never sends (the official Java
 * SDK's client for it is in {@link StatelessSdkClientTest}): no initialize, every request carrying its revision in
 * {@code _meta} and in headers, and results marked with resultType and cache hints.
 */
class McpStatelessTest {

    private static final String REVISION = "2026-07-28";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String POLL = "SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL";
    private static final String SUBSCRIPTION_ID = "/params/_meta/io.modelcontextprotocol~1subscriptionId";
    private static GatewayUnderTest gateway;
    private static HttpServer weather;
    private static Client mcp;
    private static String server;
    private static String paged;
    private static String forecast;
    private static String page;
    private static String summary;

    @BeforeAll
    static void start() {
        // Polling for changes this often lets the listen tests see one within a second.
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of(POLL, "PT0.1S"));
        mcp = gateway.as("alice", "mcp:use");
        weather = weatherService(city -> "{\"city\":\"" + city + "\"}");
        Client admin = gateway.admin();
        forecast = unique("forecast");
        String tool = admin.post("/v1/tools", Map.of("name", forecast, "displayName", "forecast",
                "inputSchema", Map.of("type", "object", "required", List.of("city"),
                        "properties", Map.of("city", Map.of("type", "string"))),
                "outputSchema", Map.of("type", "object"),
                "annotations", Map.of("readOnlyHint", true),
                "request", Map.of("method", "GET",
                        "url", "http://127.0.0.1:" + weather.getAddress().getPort() + "/weather/{city}"))).id();
        String broken = admin.post("/v1/tools", Map.of("name", unique("broken"), "displayName", "broken",
                "inputSchema", Map.of("type", "object"),
                "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/"))).id();
        page = unique("handbook");
        String text = admin.post("/v1/resources", Map.of("uri", "docs://" + page + "/intro", "name", page,
                "mimeType", "text/markdown", "text", "# Welcome")).id();
        String template = admin.post("/v1/resources", Map.of("uri", "docs://" + page + "/{chapter}",
                "template", true, "name", page + "-chapters")).id();
        summary = unique("summary");
        String prompt = admin.post("/v1/prompts", Map.of("name", summary, "template", "Summarize {{topic}}.",
                "arguments", List.of(Map.of("name", "topic", "required", true)))).id();
        server = admin.post("/v1/servers", Map.of("name", unique("stateless"),
                "description", "Weather and handbooks")).id();
        String base = "/v1/servers/" + server;
        assertThat(admin.put(base + "/tools", Map.of("ids", List.of(tool, broken)), null).status()).isEqualTo(200);
        assertThat(admin.put(base + "/resources", Map.of("ids", List.of(text, template)), null).status())
                .isEqualTo(200);
        assertThat(admin.put(base + "/prompts", Map.of("ids", List.of(prompt)), null).status()).isEqualTo(200);

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(admin.post("/v1/tools", Map.of("name", unique("page-" + i), "inputSchema", Map.of("type",
                    "object"), "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/"))).id());
        }
        paged = admin.post("/v1/servers", Map.of("name", unique("paged"))).id();
        assertThat(admin.put("/v1/servers/" + paged + "/tools", Map.of("ids", many), null).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        weather.stop(0);
        gateway.close();
    }



    private static String path() {
        return "/servers/" + server + "/mcp";
    }

    /** The _meta every request of the revision carries. */
    private static Map<String, Object> meta(String version) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("io.modelcontextprotocol/protocolVersion", version);
        meta.put("io.modelcontextprotocol/clientCapabilities", Map.of());
        meta.put("io.modelcontextprotocol/clientInfo", Map.of("name", "raw", "version", "1"));
        return meta;
    }

    /** A request whose params are {@code params} plus a correct {@code _meta}, which {@code edit} may change. */
    private static Map<String, Object> request(String method, Map<String, Object> params,
                                               Consumer<Map<String, Object>> edit) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        Map<String, Object> meta = meta(REVISION);
        edit.accept(meta);
        p.put("_meta", meta);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", 7);
        m.put("method", method);
        m.put("params", p);
        return m;
    }

    private static Map<String, Object> request(String method, Map<String, Object> params) {
        return request(method, params, meta -> { });
    }

    private static Reply send(String path, Object body, Map<String, String> headers) {
        Reply reply = mcp.send("POST", path, body, headers);
        // Whatever the outcome, the stateless revision has no sessions to hand out.
        assertThat(reply.header("Mcp-Session-Id")).as(reply.toString()).isNull();
        return reply;
    }

    /** A conforming request and its result, which must be a 200 with resultType "complete". */
    private static JsonNode result(String path, String method, String name, Map<String, Object> params) {
        Reply reply = send(path, request(method, params), headers(method, name));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("id").asInt()).isEqualTo(7);
        JsonNode result = reply.json().get("result");
        assertThat(result).as(reply.toString()).isNotNull();
        assertThat(result.path("resultType").asString()).isEqualTo("complete");
        assertThat(result.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asString()).isEqualTo("switchboard");
        return result;
    }


    private static void cacheable(JsonNode result, long ttlMs) {
        assertThat(result.path("ttlMs").asLong(-1)).as(result.toString()).isEqualTo(ttlMs);
        assertThat(result.path("cacheScope").asString()).isEqualTo("private");
    }

    @Test
    void discoverNamesEveryRevisionTheCapabilitiesAndTheServer() {
        JsonNode discovered = result(path(), "server/discover", null, Map.of());
        assertThat(discovered.get("supportedVersions").valueStream().map(JsonNode::asString).toList())
                .containsExactly("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
        JsonNode capabilities = discovered.get("capabilities");
        assertThat(capabilities.has("tools") && capabilities.has("resources") && capabilities.has("prompts")
                && capabilities.has("completions")).as(capabilities.toString()).isTrue();
        // Changes are announced on subscriptions/listen; no logging, since none is sent.
        assertThat(capabilities.at("/tools/listChanged").asBoolean() && capabilities.at("/prompts/listChanged")
                .asBoolean() && capabilities.at("/resources/subscribe").asBoolean()).as(capabilities.toString())
                .isTrue();
        assertThat(capabilities.has("logging")).isFalse();
        assertThat(discovered.at("/serverInfo/name").asString()).isEqualTo("switchboard");
        assertThat(discovered.at("/serverInfo/version").isString()).isTrue();
        assertThat(discovered.get("instructions").asString()).isEqualTo("Weather and handbooks");
        cacheable(discovered, 300_000);

        assertThat(result("/mcp", "server/discover", null, Map.of()).has("instructions")).isFalse();
    }

    @Test
    void listsAndReadsCarryCacheHintsAndTheFieldsOfTheRevision() {
        JsonNode tools = result(path(), "tools/list", null, Map.of());
        cacheable(tools, 60_000);
        assertThat(tools.get("tools").valueStream().map(t -> t.get("name").asString()).toList())
                .containsExactly("broken", "forecast");
        JsonNode tool = tools.at("/tools/1");
        assertThat(tool.at("/outputSchema/type").asString()).isEqualTo("object");
        assertThat(tool.at("/annotations/readOnlyHint").asBoolean()).isTrue();
        assertThat(tools.has("nextCursor")).isFalse();

        JsonNode resources = result(path(), "resources/list", null, Map.of());
        cacheable(resources, 60_000);
        assertThat(resources.at("/resources/0/uri").asString()).isEqualTo("docs://" + page + "/intro");
        JsonNode templates = result(path(), "resources/templates/list", null, Map.of());
        cacheable(templates, 60_000);
        assertThat(templates.at("/resourceTemplates/0/uriTemplate").asString()).isEqualTo("docs://" + page
                + "/{chapter}");
        JsonNode prompts = result(path(), "prompts/list", null, Map.of());
        cacheable(prompts, 60_000);
        assertThat(prompts.at("/prompts/0/name").asString()).isEqualTo(summary);

        String uri = "docs://" + page + "/intro";
        JsonNode read = result(path(), "resources/read", uri, Map.of("uri", uri));
        cacheable(read, 60_000);
        assertThat(read.at("/contents/0/text").asString()).isEqualTo("# Welcome");
    }

    @Test
    void listsArePagedWithCursors() {
        String endpoint = "/servers/" + paged + "/mcp";
        JsonNode first = result(endpoint, "tools/list", null, Map.of());
        assertThat(first.get("tools").size()).isEqualTo(100);
        cacheable(first, 60_000);
        JsonNode second = result(endpoint, "tools/list", null, Map.of("cursor", first.get("nextCursor").asString()));
        assertThat(second.get("tools").size()).isEqualTo(1);
        assertThat(second.has("nextCursor")).isFalse();
        cacheable(second, 60_000);
        error(send(endpoint, request("tools/list", Map.of("cursor", "%%%")), headers("tools/list", null)), 200,
                -32602);
    }

    @Test
    void toolsAreCalledAndPromptsRendered() {
        JsonNode called = result(path(), "tools/call", "forecast", Map.of("name", "forecast",
                "arguments", Map.of("city", "Oslo")));
        assertThat(called.path("isError").asBoolean(false)).as(called.toString()).isFalse();
        assertThat(called.at("/content/0/text").asString()).isEqualTo("{\"city\":\"Oslo\"}");
        // A call's result is not cacheable: it has no hints.
        assertThat(called.has("ttlMs") || called.has("cacheScope")).isFalse();

        JsonNode failed = result(path(), "tools/call", "broken", Map.of("name", "broken", "arguments", Map.of()));
        assertThat(failed.get("isError").asBoolean()).as(failed.toString()).isTrue();

        JsonNode prompt = result(path(), "prompts/get", summary, Map.of("name", summary,
                "arguments", Map.of("topic", "MCP")));
        assertThat(prompt.at("/messages/0/content/text").asString()).isEqualTo("Summarize MCP.");
        assertThat(prompt.has("ttlMs")).isFalse();

        JsonNode completion = result(path(), "completion/complete", null, Map.of("ref", Map.of("type", "ref/prompt",
                "name", summary), "argument", Map.of("name", "topic", "value", "M")));
        assertThat(completion.at("/completion/values").isArray()).isTrue();
    }

    @Test
    void anUnknownResourceIsInvalidParamsNotMinus32002() {
        String uri = "docs://nothing/here";
        JsonNode missing = error(send(path(), request("resources/read", Map.of("uri", uri)),
                headers("resources/read", uri)), 200, -32602);
        assertThat(missing.at("/data/uri").asString()).isEqualTo(uri);
        error(send(path(), request("tools/call", Map.of("name", "nope")), headers("tools/call", "nope")), 200,
                -32602);
    }

    @Test
    void mcpMethodAndMcpNameMustMatchTheBody() {
        Map<String, Object> call = request("tools/call", Map.of("name", "forecast", "arguments",
                Map.of("city", "Rome")));
        Map<String, String> noMethod = headers("tools/call", "forecast");
        noMethod.remove("Mcp-Method");
        error(send(path(), call, noMethod), 400, -32020);
        error(send(path(), call, headers("tools/list", "forecast")), 400, -32020);
        error(send(path(), call, headers("tools/call", null)), 400, -32020);
        JsonNode wrongName = error(send(path(), call, headers("tools/call", "broken")), 400, -32020);
        assertThat(wrongName.get("message").asString()).contains("broken", "forecast");
        assertThat(reply(call, headers("tools/call", "forecast")).status()).isEqualTo(200);

        // A name that is not plain ASCII travels base64-encoded, and is compared once decoded.
        String encoded = "=?base64?" + Base64.getEncoder().encodeToString("forecast".getBytes(StandardCharsets.UTF_8))
                + "?=";
        assertThat(reply(call, headers("tools/call", encoded)).status()).isEqualTo(200);
        String other = "=?base64?" + Base64.getEncoder().encodeToString("broken".getBytes(StandardCharsets.UTF_8))
                + "?=";
        error(send(path(), call, headers("tools/call", other)), 400, -32020);
        error(send(path(), call, headers("tools/call", "=?base64?***?=")), 400, -32020);

        String uri = "docs://" + page + "/intro";
        error(send(path(), request("resources/read", Map.of("uri", uri)), headers("resources/read", uri + "x")),
                400, -32020);
        error(send(path(), request("prompts/get", Map.of("name", summary, "arguments", Map.of("topic", "x"))),
                headers("prompts/get", null)), 400, -32020);
    }

    private static Reply reply(Object body, Map<String, String> headers) {
        return send(path(), body, headers);
    }

    @Test
    void theVersionHeaderAndMetaMustAgree() {
        Map<String, Object> list = request("tools/list", Map.of());
        Map<String, String> noVersion = headers("tools/list", null);
        noVersion.remove("MCP-Protocol-Version");
        error(send(path(), list, noVersion), 400, -32020);

        Map<String, String> legacyHeader = headers("tools/list", null);
        legacyHeader.put("MCP-Protocol-Version", "2025-11-25");
        error(send(path(), list, legacyHeader), 400, -32020);
        error(send(path(), request("tools/list", Map.of(), meta -> meta.put("io.modelcontextprotocol/protocolVersion",
                "2025-11-25")), headers("tools/list", null)), 400, -32020);
    }

    @Test
    void metaIsRequiredAndChecked() {
        Map<String, Object> bare = new LinkedHashMap<>(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list"));
        error(send(path(), bare, headers("tools/list", null)), 400, -32602);
        bare.put("params", Map.of("_meta", Map.of()));
        error(send(path(), bare, headers("tools/list", null)), 400, -32602);
        error(send(path(), request("tools/list", Map.of(), meta -> meta.remove(
                "io.modelcontextprotocol/clientCapabilities")), headers("tools/list", null)), 400, -32602);
        error(send(path(), request("tools/list", Map.of(), meta -> meta.put("io.modelcontextprotocol/clientInfo",
                "raw")), headers("tools/list", null)), 400, -32602);

        JsonNode badLevel = error(send(path(), request("tools/list", Map.of(), meta -> meta.put(
                "io.modelcontextprotocol/logLevel", "chatty")), headers("tools/list", null)), 400, -32602);
        assertThat(badLevel.get("message").asString()).contains("logLevel");
        Reply debug = send(path(), request("tools/list", Map.of(), meta -> meta.put("io.modelcontextprotocol/logLevel",
                "debug")), headers("tools/list", null));
        assertThat(debug.status()).as(debug.toString()).isEqualTo(200);
        // clientInfo is optional.
        Reply anonymousClient = send(path(), request("tools/list", Map.of(), meta -> meta.remove(
                "io.modelcontextprotocol/clientInfo")), headers("tools/list", null));
        assertThat(anonymousClient.status()).as(anonymousClient.toString()).isEqualTo(200);
    }

    @Test
    void anUnsupportedVersionListsTheSupportedOnes() {
        Map<String, String> future = headers("tools/list", null);
        future.put("MCP-Protocol-Version", "2099-01-01");
        for (Object body : List.of(request("tools/list", Map.of()), request("tools/list", Map.of(),
                meta -> meta.put("io.modelcontextprotocol/protocolVersion", "2099-01-01")))) {
            JsonNode unsupported = error(send(path(), body, future), 400, -32022);
            assertThat(unsupported.at("/data/requested").asString()).isEqualTo("2099-01-01");
            assertThat(unsupported.at("/data/supported").valueStream().map(JsonNode::asString).toList())
                    .contains("2026-07-28", "2025-11-25");
            assertThat(send(path(), body, future).json().get("id").asInt()).isEqualTo(7);
        }
    }

    @Test
    void methodsTheRevisionRemovedOrLacksAreNotFound() {
        for (String method : List.of("ping", "logging/setLevel", "initialize",
                "resources/subscribe", "resources/unsubscribe", "tools/frobnicate")) {
            error(send(path(), request(method, Map.of("level", "info", "protocolVersion", REVISION)),
                    headers(method, null)), 404, -32601);
        }
        // Asking initialize for the stateless revision still opens a session of the latest session revision.
        Reply init = mcp.send("POST", path(), Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
                "params", Map.of("protocolVersion", REVISION, "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "raw", "version", "1"))), Map.of("Accept", "application/json"));
        assertThat(init.json().at("/result/protocolVersion").asString()).isEqualTo("2025-11-25");
        String session = init.header("Mcp-Session-Id");
        assertThat(session).isNotBlank();
        // And server/discover is not a method of that session's revision.
        error(mcp.send("POST", path(), Map.of("jsonrpc", "2.0", "id", 2, "method", "server/discover"),
                Map.of("Accept", "application/json", "Mcp-Session-Id", session, "MCP-Protocol-Version",
                        "2025-11-25")), 200, -32601);
    }

    @Test
    void brokenBodiesAndSessionsAreAnsweredWithoutASession() {
        error(send(path(), "{\"jsonrpc\": \"2.0\", ", headers("tools/list", null)), 400, -32700);
        error(send(path(), List.of(request("tools/list", Map.of())), headers("tools/list", null)), 400, -32600);
        error(send(path(), Map.of("jsonrpc", "2.0", "id", 3, "method", 5), headers("tools/list", null)), 400,
                -32600);
        error(send(path(), Map.of("jsonrpc", "2.0", "id", 3, "result", Map.of()), headers("tools/list", null)), 400,
                -32600);
        assertThat(send(path(), Map.of("jsonrpc", "2.0", "method", "notifications/cancelled"),
                headers("notifications/cancelled", null)).status()).isEqualTo(202);

        // A session id from an older client is ignored, never checked or echoed.
        Map<String, String> withSession = headers("tools/list", null);
        withSession.put("Mcp-Session-Id", "not-a-session");
        assertThat(send(path(), request("tools/list", Map.of()), withSession).status()).isEqualTo(200);

        Reply anonymous = gateway.anonymous().send("POST", path(), request("tools/list", Map.of()),
                headers("tools/list", null));
        assertThat(anonymous.status()).isEqualTo(401);
    }

    /** Opens subscriptions/listen on {@code endpoint} as a conforming client would, with {@code id} as its id. */
    private static SseReader listen(GatewayUnderTest at, Client client, String endpoint, Object id,
                                    Map<String, Object> filter) {
        Map<String, Object> body = request("subscriptions/listen", Map.of("notifications", filter));
        body.put("id", id);
        Map<String, String> headers = headers("subscriptions/listen", null);
        headers.put("Authorization", client.authorization());
        return SseReader.open(at.baseUrl() + endpoint, JSON.writeValueAsString(body), headers);
    }

    @Test
    void listenAcknowledgesThenTellsEachSubscriptionOnlyWhatItAskedFor() throws Exception {
        Client admin = gateway.admin();
        String watched = admin.post("/v1/servers", Map.of("name", unique("watched"))).id();
        String uri = "docs://" + unique("watched") + "/notes";
        String notes = admin.post("/v1/resources", Map.of("uri", uri, "name", unique("notes"), "text", "v1")).id();
        String base = "/v1/servers/" + watched;
        assertThat(admin.send("POST", base + "/resources/" + notes, null, Map.of()).status()).isEqualTo(200);
        String endpoint = "/servers/" + watched + "/mcp";

        try (SseReader prompts = listen(gateway, mcp, endpoint, "listen-1", Map.of("promptsListChanged", true,
                "toolsListChanged", false, "resourceSubscriptions", List.of(uri)));
             SseReader tools = listen(gateway, mcp, endpoint, 2, Map.of("toolsListChanged", true))) {
            assertThat(prompts.status()).isEqualTo(200);
            assertThat(prompts.contentType()).startsWith("text/event-stream");
            JsonNode ack = prompts.next(10).json();
            assertThat(ack.get("method").asString()).isEqualTo("notifications/subscriptions/acknowledged");
            assertThat(ack.has("id")).isFalse();
            assertThat(ack.at(SUBSCRIPTION_ID).asString()).isEqualTo("listen-1");
            // What was asked for and honoured; a false flag asks for nothing and is left out.
            assertThat(ack.at("/params/notifications")).isEqualTo(JSON.valueToTree(Map.of("promptsListChanged", true,
                    "resourceSubscriptions", List.of(uri))));
            JsonNode toolsAck = tools.next(10).json();
            assertThat(toolsAck.get("method").asString()).isEqualTo("notifications/subscriptions/acknowledged");
            assertThat(toolsAck.at(SUBSCRIPTION_ID).isIntegralNumber()).isTrue();
            assertThat(toolsAck.at(SUBSCRIPTION_ID).asInt()).isEqualTo(2);
            assertThat(toolsAck.at("/params/notifications")).isEqualTo(JSON.valueToTree(Map.of("toolsListChanged",
                    true)));

            // A new tool: only the subscription that asked for tools hears of it.
            String tool = admin.post("/v1/tools", Map.of("name", unique("listened"), "inputSchema",
                    Map.of("type", "object"), "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/"))).id();
            assertThat(admin.send("POST", base + "/tools/" + tool, null, Map.of()).status()).isEqualTo(200);
            JsonNode toolsChanged = tools.next(10).json();
            assertThat(toolsChanged.get("method").asString()).isEqualTo("notifications/tools/list_changed");
            assertThat(toolsChanged.at(SUBSCRIPTION_ID).asInt()).isEqualTo(2);

            // A new prompt: only the other one does.
            String prompt = admin.post("/v1/prompts", Map.of("name", unique("listened"), "template", "Hi.")).id();
            assertThat(admin.send("POST", base + "/prompts/" + prompt, null, Map.of()).status()).isEqualTo(200);
            JsonNode promptsChanged = prompts.next(10).json();
            assertThat(promptsChanged.get("method").asString()).isEqualTo("notifications/prompts/list_changed");
            assertThat(promptsChanged.at(SUBSCRIPTION_ID).asString()).isEqualTo("listen-1");

            // An edited resource among the subscribed URIs: resources/updated with its uri, and no
            // resources/list_changed, though the list changed too (its entry's version), since nobody asked.
            Reply current = admin.get("/v1/resources/" + notes);
            assertThat(admin.patch("/v1/resources/" + notes, Map.of("text", "v2"), current.etag()).status())
                    .isEqualTo(200);
            JsonNode updated = prompts.next(10).json();
            assertThat(updated.get("method").asString()).isEqualTo("notifications/resources/updated");
            assertThat(updated.at("/params/uri").asString()).isEqualTo(uri);
            assertThat(updated.at(SUBSCRIPTION_ID).asString()).isEqualTo("listen-1");

            // Nothing else arrives on either stream: no kind that was not asked for.
            assertThat(prompts.next(2)).isNull();
            assertThat(tools.next(1)).isNull();
        }
    }

    @Test
    void listenIsCheckedLikeEveryRequestAndNeedsAStreamInAccept() {
        Map<String, Object> listen = request("subscriptions/listen", Map.of("notifications",
                Map.of("toolsListChanged", true)));
        Map<String, String> noMethod = headers("subscriptions/listen", null);
        noMethod.remove("Mcp-Method");
        error(send(path(), listen, noMethod), 400, -32020);
        error(send(path(), listen, headers("tools/list", null)), 400, -32020);
        Map<String, String> noVersion = headers("subscriptions/listen", null);
        noVersion.remove("MCP-Protocol-Version");
        error(send(path(), listen, noVersion), 400, -32020);
        error(send(path(), request("subscriptions/listen", Map.of("notifications", Map.of()), meta -> meta.remove(
                "io.modelcontextprotocol/clientCapabilities")), headers("subscriptions/listen", null)), 400, -32602);

        // The answer can only be a stream, so a client that cannot take one is refused.
        Map<String, String> jsonOnly = headers("subscriptions/listen", null);
        jsonOnly.put("Accept", "application/json");
        JsonNode refused = error(send(path(), listen, jsonOnly), 406, -32600);
        assertThat(refused.get("message").asString()).contains("text/event-stream");

        // The filter is required, and its fields must have their types.
        error(send(path(), request("subscriptions/listen", Map.of()), headers("subscriptions/listen", null)), 200,
                -32602);
        error(send(path(), request("subscriptions/listen", Map.of("notifications", Map.of("toolsListChanged",
                "yes"))), headers("subscriptions/listen", null)), 200, -32602);
        error(send(path(), request("subscriptions/listen", Map.of("notifications", Map.of("resourceSubscriptions",
                "docs://x"))), headers("subscriptions/listen", null)), 200, -32602);
    }

    @Test
    void stoppingTheGatewayEndsListenStreamsWithTheirResult() throws Exception {
        GatewayUnderTest own = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of(POLL, "PT0.1S"));
        boolean closed = false;
        try (SseReader stream = listen(own, own.as("bob", "mcp:use"), "/mcp", 9, Map.of("toolsListChanged", true))) {
            assertThat(stream.next(10).json().get("method").asString())
                    .isEqualTo("notifications/subscriptions/acknowledged");
            long started = System.nanoTime();
            own.close();
            closed = true;
            // Graceful shutdown waits up to 30 s for open requests: the stream must not be one of them.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            List<Event> rest = stream.rest(5);
            assertThat(rest).hasSize(1);
            JsonNode end = rest.getFirst().json();
            assertThat(end.get("id").asInt()).as(end.toString()).isEqualTo(9);
            assertThat(end.at("/result/resultType").asString()).isEqualTo("complete");
            assertThat(end.at("/result/_meta/io.modelcontextprotocol~1subscriptionId").asInt()).isEqualTo(9);
        } finally {
            if (!closed) {
                own.close();
            }
        }
    }
}
