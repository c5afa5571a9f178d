package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.RecordingFilter;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.UpstreamServers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Federation end to end: SDK upstreams registered through the API, called through the gateway by SDK clients of
 * every revision (and raw 2026-07-28 requests), compared with what a client connected directly gets.
 */
class FederationProxyTest {

    private static final RecordingFilter SEEN = new RecordingFilter();
    private static UpstreamServers.Http streamable;
    private static UpstreamServers.Http sse;
    private static McpSyncClient direct;
    private static GatewayUnderTest gateway;
    private static GatewayUnderTest inner;

    @BeforeAll
    static void start() {
        streamable = UpstreamServers.streamable(SEEN);
        sse = UpstreamServers.sse(null);
        direct = McpClient.sync(HttpClientStreamableHttpTransport.builder(streamable.url().replace("/mcp", ""))
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(10)).build();
        direct.initialize();
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
    }

    @AfterAll
    static void stop() {
        direct.close();
        streamable.close();
        sse.close();
        gateway.close();
        if (inner != null) {
            inner.close();
        }
    }

    /** Registers an upstream and returns its slug; discovery runs at registration. */
    static String register(GatewayUnderTest at, Map<String, Object> body) {
        String slug = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, Object> request = new LinkedHashMap<>(body);
        request.put("name", slug);
        request.put("slug", slug);
        Reply created = at.admin().post("/v1/gateways", request);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return slug;
    }

    static McpSyncClient client(GatewayUnderTest at, String version, List<Object> heard) {
        McpClientTransport transport = HttpClientStreamableHttpTransport.builder(at.baseUrl()).endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", at.admin().authorization()))
                .supportedProtocolVersions(List.of(version)).build();
        return connect(transport, heard);
    }

    static McpSyncClient connect(McpClientTransport transport, List<Object> heard) {
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().build())
                .sampling(request -> {
                    heard.add(request);
                    return McpSchema.CreateMessageResult.builder().role(McpSchema.Role.ASSISTANT)
                            .content(new McpSchema.TextContent("4")).model("test-model").build();
                })
                .elicitation(request -> {
                    heard.add(request);
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", "Ada"));
                })
                .loggingConsumer(heard::add)
                .progressConsumer(heard::add)
                .build();
        client.initialize();
        return client;
    }

    /** The SDK hands notifications to consumers on its own threads, possibly after the call's result. */
    private static void awaitHeard(List<Object> heard, Predicate<Object> kind, int count) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> heard.stream().filter(kind).count() >= count);
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String name, Map<String, Object> args) {
        return client.callTool(McpSchema.CallToolRequest.builder().name(name).arguments(args).build());
    }

    @EngineTest
    void federatedEntriesAnswerExactlyAsTheUpstreamDoes(TestEngine engine) {
        GatewayUnderTest shared = GatewayUnderTest.shared(engine);
        String slug = register(shared, Map.of("url", streamable.url()));
        List<Object> heard = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = client(shared, "2025-11-25", heard)) {
            List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertThat(names).contains(slug + ".text", slug + ".image", slug + ".embedded", slug + ".structured");
            for (String tool : List.of("text", "image", "embedded", "structured")) {
                assertThat(call(client, slug + "." + tool, Map.of("name", "Ada")))
                        .as(tool).isEqualTo(call(direct, tool, Map.of("name", "Ada")));
            }
            assertThat(client.readResource(new McpSchema.ReadResourceRequest("fixture://readme")))
                    .isEqualTo(direct.readResource(new McpSchema.ReadResourceRequest("fixture://readme")));
            assertThat(client.getPrompt(new McpSchema.GetPromptRequest(slug + ".greet", Map.of("name", "Ada"))))
                    .isEqualTo(direct.getPrompt(new McpSchema.GetPromptRequest("greet", Map.of("name", "Ada"))));
        }
    }

    /**
     * The bytes of each result, as the upstream wrote them and as the gateway forwards them: text, image (base64
     * PNG), embedded resource and structured content.
     */
    @Test
    void resultsAreTheUpstreamsBytes() throws Exception {
        String slug = register(gateway, Map.of("url", streamable.url()));
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream",
                "Content-Type", "application/json");
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
        HttpResponse<String> upstreamInit = post(http, streamable.url(), init, accept);
        String upstreamSession = upstreamInit.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(http, streamable.url(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                with(accept, "Mcp-Session-Id", upstreamSession));
        Reply gatewayInit = gateway.admin().send("POST", "/mcp", init, accept);
        String gatewaySession = gatewayInit.header("Mcp-Session-Id");
        for (String tool : List.of("text", "image", "embedded", "structured")) {
            String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"%s\","
                    + "\"arguments\":{\"name\":\"Ada\"}}}";
            String direct = resultText(post(http, streamable.url(), call.formatted(tool),
                    with(accept, "Mcp-Session-Id", upstreamSession)).body());
            String proxied = resultText(gateway.admin().send("POST", "/mcp", call.formatted(slug + "." + tool),
                    with(accept, "Mcp-Session-Id", gatewaySession)).text());
            assertThat(proxied).as(tool).isEqualTo(direct);
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return more;
    }

    /** The text of the response's {@code result} member, as written: from a JSON body or an SSE event's data. */
    private static String resultText(String body) {
        String message = body.lines().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).strip())
                .filter(l -> l.contains("\"result\"")).findFirst().orElse(body.strip());
        int start = message.indexOf("\"result\":") + "\"result\":".length();
        int depth = 0;
        for (int i = start; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '"') {
                i = endOfString(message, i);
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return message.substring(start, i + 1);
            }
        }
        throw new AssertionError("no result in " + body);
    }

    private static int endOfString(String text, int quote) {
        for (int i = quote + 1; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == '"') {
                return i;
            }
        }
        return text.length();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "stdio"})
    void everyTransportIsProxied(String kind) {
        String slug = register(gateway, kind.equals("sse") ? Map.of("url", sse.url(), "transport", "sse")
                : Map.of("transport", "stdio", "command", gatewayCommand()));
        List<Object> heard = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = client(gateway, "2025-06-18", heard)) {
            for (String tool : List.of("text", "image", "embedded", "structured")) {
                assertThat(call(client, slug + "." + tool, Map.of())).as(tool)
                        .isEqualTo(call(direct, tool, Map.of()));
            }
            assertThat(call(client, slug + ".sample", Map.of()).content())
                    .containsExactly(new McpSchema.TextContent("sampled: 4"));
        }
    }

    /** The stdio fixture as the API takes it: command, args and env. */
    private static Map<String, Object> gatewayCommand() {
        JsonNode command = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(UpstreamServers.stdioCommand(Map.of()));
        return Map.of("command", command.get("command").asString(),
                "args", command.get("args").valueStream().map(JsonNode::asString).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "legacy"})
    void progressLogsSamplingAndElicitationReachClientsOfEverySessionRevision(String version) {
        String slug = register(gateway, Map.of("url", streamable.url()));
        List<Object> heard = new CopyOnWriteArrayList<>();
        McpClientTransport transport = version.equals("legacy")
                ? HttpClientSseClientTransport.builder(gateway.baseUrl()).sseEndpoint("/sse")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization",
                                gateway.admin().authorization())).build()
                : null;
        try (McpSyncClient client = transport != null ? connect(transport, heard)
                : client(gateway, version, heard)) {
            client.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);
            McpSchema.CallToolResult progressed = client.callTool(McpSchema.CallToolRequest.builder()
                    .name(slug + ".progress").arguments(Map.of()).progressToken("p-" + version).build());
            assertThat(progressed.content()).containsExactly(new McpSchema.TextContent("done"));
            awaitHeard(heard, n -> n instanceof McpSchema.ProgressNotification, 2);
            assertThat(heard).filteredOn(McpSchema.ProgressNotification.class::isInstance)
                    .extracting(n -> ((McpSchema.ProgressNotification) n).progressToken())
                    .containsExactly("p-" + version, "p-" + version);
            assertThat(call(client, slug + ".log", Map.of()).content())
                    .containsExactly(new McpSchema.TextContent("logged"));
            awaitHeard(heard, n -> n instanceof McpSchema.LoggingMessageNotification, 1);
            assertThat(heard).filteredOn(McpSchema.LoggingMessageNotification.class::isInstance)
                    .extracting(n -> ((McpSchema.LoggingMessageNotification) n).data())
                    .contains("upstream says hi");
            assertThat(call(client, slug + ".sample", Map.of()).content())
                    .containsExactly(new McpSchema.TextContent("sampled: 4"));
            assertThat(heard).filteredOn(McpSchema.CreateMessageRequest.class::isInstance).hasSize(1);
            if (!version.equals("2024-11-05") && !version.equals("2025-03-26") && !version.equals("legacy")) {
                // Elicitation exists from 2025-06-18 on.
                assertThat(call(client, slug + ".elicit", Map.of()).content())
                        .containsExactly(new McpSchema.TextContent("elicited: accept Ada"));
            }
        }
    }

    @Test
    void aClientOf2026GetsInputRequiredForAnOlderUpstreamsSamplingAndResumesTheCall() {
        String slug = register(gateway, Map.of("url", streamable.url()));
        Client admin = gateway.admin();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", slug + ".sample");
        params.put("arguments", Map.of());
        params.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities", Map.of("sampling", Map.of())));
        Reply first = admin.send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/call",
                "params", params), headers2026(slug + ".sample"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        JsonNode asked = first.json().get("result");
        assertThat(asked.path("resultType").asString()).as(first.toString()).isEqualTo("input_required");
        Map.Entry<String, JsonNode> request = asked.path("inputRequests").properties().iterator().next();
        assertThat(request.getValue().path("method").asString()).isEqualTo("sampling/createMessage");
        assertThat(request.getValue().toString()).contains("What is 2+2?");

        Map<String, Object> retry = new LinkedHashMap<>(params);
        retry.put("inputResponses", Map.of(request.getKey(), Map.of("role", "assistant", "model", "m",
                "content", Map.of("type", "text", "text", "4"))));
        retry.put("requestState", asked.path("requestState").asString());
        Reply second = admin.send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call",
                "params", retry), headers2026(slug + ".sample"));
        assertThat(second.json().at("/result/content/0/text").asString()).as(second.toString())
                .isEqualTo("sampled: 4");
        assertThat(second.json().at("/result/resultType").asString()).isEqualTo("complete");

        // The same state again names nothing: the call it parked has finished.
        Reply again = admin.send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 3, "method", "tools/call",
                "params", retry), headers2026(slug + ".sample"));
        assertThat(again.json().at("/error/code").asInt()).as(again.toString()).isEqualTo(-32602);
    }

    /**
     * Every client generation against a 2026-07-28 upstream: a second Switchboard that federates the SDK
     * upstream. Asked by this gateway in 2026-07-28, it answers input_required for the SDK upstream's sampling;
     * this gateway turns that into a sampling request to a session client, and passes it on unchanged to a
     * 2026-07-28 client, whose retry travels back through both gateways.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2024-11-05", "2025-06-18", "2025-11-25", "2026-07-28"})
    void everyClientGenerationWorksAgainstA2026Upstream(String version) {
        String inner = register(innerGateway(), Map.of("url", streamable.url()));
        String slug = register(gateway, Map.of("url", innerGateway().baseUrl() + "/mcp", "auth",
                Map.of("type", "bearer", "token", innerGateway().jwt("federation", "mcp:use"))));
        JsonNode registered = gateway.admin().get("/v1/gateways/" + slugId(slug)).json();
        assertThat(registered.path("protocolVersion").asString()).as(registered.toString()).isEqualTo("2026-07-28");
        String text = slug + "." + inner + ".text";
        String sample = slug + "." + inner + ".sample";
        if (version.equals("2026-07-28")) {
            assertThat(call2026(text, Map.of("name", "Ada")).at("/content/0/text").asString()).isEqualTo("hello Ada");
            assertThat(call2026(sample, Map.of()).at("/content/0/text").asString()).isEqualTo("sampled: 4");
            return;
        }
        List<Object> heard = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = client(gateway, version, heard)) {
            // The inner gateway adds its serverInfo to _meta, as 2026-07-28 servers do; the rest is the SDK's.
            assertThat(call(client, text, Map.of("name", "Ada")).content())
                    .isEqualTo(call(direct, "text", Map.of("name", "Ada")).content());
            assertThat(call(client, sample, Map.of()).content())
                    .containsExactly(new McpSchema.TextContent("sampled: 4"));
            assertThat(heard).filteredOn(McpSchema.CreateMessageRequest.class::isInstance).hasSize(1);
        }
    }

    /** A tools/call of a 2026-07-28 client that answers every input request it gets, as such a client would. */
    private static JsonNode call2026(String tool, Map<String, Object> arguments) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", tool);
        params.put("arguments", arguments);
        params.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities", Map.of("sampling", Map.of())));
        for (int round = 0; round < 4; round++) {
            Reply reply = gateway.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", round, "method",
                    "tools/call", "params", params), headers2026(tool));
            JsonNode result = reply.json().get("result");
            assertThat(result).as(reply.toString()).isNotNull();
            if (!result.path("resultType").asString().equals("input_required")) {
                return result;
            }
            Map<String, Object> responses = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> asked : result.path("inputRequests").properties()) {
                assertThat(asked.getValue().path("method").asString()).isEqualTo("sampling/createMessage");
                responses.put(asked.getKey(), Map.of("role", "assistant", "model", "m",
                        "content", Map.of("type", "text", "text", "4")));
            }
            params.put("inputResponses", responses);
            params.put("requestState", result.path("requestState").asString());
        }
        throw new AssertionError("still asking for input after 4 rounds");
    }

    private static synchronized GatewayUnderTest innerGateway() {
        if (inner == null) {
            inner = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
        }
        return inner;
    }

    @Test
    void cancellingACallCancelsItUpstream() throws Exception {
        String slug = register(gateway, Map.of("url", streamable.url()));
        Client admin = gateway.admin();
        Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
        Reply init = admin.send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
                "params", Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "raw", "version", "1"))), accept);
        String session = init.header("Mcp-Session-Id");
        Map<String, String> headers = Map.of("Accept", "application/json, text/event-stream",
                "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25");
        AtomicReference<Reply> answered = new AtomicReference<>();
        Thread call = Thread.ofVirtual().start(() -> answered.set(admin.send("POST", "/mcp", Map.of("jsonrpc",
                "2.0", "id", "slow-1", "method", "tools/call", "params", Map.of("name", slug + ".slow",
                        "arguments", Map.of("seconds", 30))), headers)));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> SEEN.seen().stream()
                .anyMatch(s -> s.body().contains("\"tools/call\"") && s.body().contains("slow")));
        admin.send("POST", "/mcp", Map.of("jsonrpc", "2.0", "method", "notifications/cancelled",
                "params", Map.of("requestId", "slow-1", "reason", "changed my mind")), headers);
        call.join(Duration.ofSeconds(10));
        assertThat(answered.get()).isNotNull();
        assertThat(answered.get().status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> SEEN.seen().stream().anyMatch(s -> s.body().contains("\"notifications/cancelled\"")));
        assertThat(SEEN.seen()).anySatisfy(s -> assertThat(s.body()).contains("\"notifications/cancelled\""));
    }

    @Test
    void aDeadUpstreamFailsItsOwnCallsOnly() {
        UpstreamServers.Http doomed = UpstreamServers.streamable(null);
        String slug = register(gateway, Map.of("url", doomed.url()));
        String healthy = register(gateway, Map.of("url", streamable.url()));
        doomed.close();
        List<Object> heard = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = client(gateway, "2025-11-25", heard)) {
            McpSchema.CallToolResult failed = call(client, slug + ".text", Map.of());
            assertThat(failed.isError()).isTrue();
            assertThat(((McpSchema.TextContent) failed.content().get(0)).text()).contains(slug + ".text");
            assertThat(call(client, healthy + ".text", Map.of("name", "Ada")))
                    .isEqualTo(call(direct, "text", Map.of("name", "Ada")));
        }
    }

    private static String slugId(String slug) {
        for (JsonNode g : gateway.admin().get("/v1/gateways?limit=200").json().path("items")) {
            if (g.path("slug").asString().equals(slug)) {
                return g.path("id").asString();
            }
        }
        throw new AssertionError("no gateway " + slug);
    }

    private static Map<String, String> headers2026(String name) {
        return Map.of("Accept", "application/json, text/event-stream", "MCP-Protocol-Version", "2026-07-28",
                "Mcp-Method", "tools/call", "Mcp-Name", name);
    }
}
