package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.NodeUpstreams;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.UpstreamServers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A virtual server that fronts one upstream is, to clients built with the official SDKs, the same server as that
 * upstream. A TypeScript SDK client (sdk-client.mjs, with the version pinned in src/test/node) and a Java SDK client,
 * at every session revision, list tools, prompts, resources and templates under the upstream's own names with equal
 * definitions (names, titles, icons, _meta, schemas, annotations, prompt arguments, as far as the revision defines
 * them), and call a tool, get a prompt and read a resource with equal answers. The upstreams are server-everything
 * over stdio and over Streamable HTTP, and a Java SDK server whose entries carry every optional member. Neither SDK
 * speaks 2026-07-28 (TypeScript SDK 1.32.2 knows up to 2025-11-25): that revision is asked in raw HTTP and compared
 * with what the TypeScript client sees directly at the upstream's latest revision. A tool's {@code execution} is
 * left out of the comparison: Switchboard relays no tasks.
 *
 * <p>The subject does not depend on the engine: the gateway runs on scratch SQLite, as in ServerEverythingTest.
 */
class SdkClientsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> SESSION_REVISIONS = List.of("2024-11-05", "2025-03-26", "2025-06-18",
            "2025-11-25");
    private static final String LATEST_SESSION = "2025-11-25";
    private static final String STATELESS = "2026-07-28";

    private static GatewayUnderTest gateway;
    private static final Map<String, Upstream> UPSTREAMS = new ConcurrentHashMap<>();
    private static final List<AutoCloseable> STARTED = new ArrayList<>();

    /** One registered upstream: how the client reaches it directly, and the virtual server that fronts it. */
    private record Upstream(Map<String, Object> direct, String serverPath, Map<String, Object> uses) {
    }

    @BeforeAll
    static void start() {
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable started : STARTED) {
            started.close();
        }
        gateway.close();
    }

    static Stream<Arguments> upstreamsAndRevisions() {
        List<Arguments> cases = new ArrayList<>();
        for (String upstream : List.of("everything-stdio", "everything-http", "java-sdk-server")) {
            for (String revision : SESSION_REVISIONS) {
                cases.add(Arguments.of(upstream, revision));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("upstreamsAndRevisions")
    void theTypeScriptSdkSeesTheUpstreamThroughAVirtualServer(String kind, String revision) {
        Upstream upstream = upstream(kind);
        JsonNode direct = sdkClient(plan(upstream.direct(), revision, upstream.uses()));
        JsonNode through = sdkClient(plan(throughGateway(upstream), revision, upstream.uses()));

        assertThat(through.at("/initialize/protocolVersion").asString()).isEqualTo(revision);
        // The direct answer is taken at the revision the upstream agreed to: the Java SDK server answers a
        // 2024-11-05 initialize over Streamable HTTP (a transport 2024-11-05 did not have) with its latest.
        // A virtual server that fronts one upstream speaks with that upstream's instructions.
        assertThat(through.at("/initialize/instructions")).isEqualTo(direct.at("/initialize/instructions"));
        assertSameDefinitions(direct, through, revision);
        for (String answer : List.of("call", "prompt", "read")) {
            assertThat(through.get(answer)).as(answer).isEqualTo(direct.get(answer));
        }
    }

    /**
     * The same for a client built with the official Java SDK: through the virtual server at {@code revision}, it
     * lists what a Java SDK client connected directly lists (as the SDK's records, written back as JSON), and its
     * call, prompt and read get equal answers. The direct client speaks the upstream's latest revision (the Java
     * SDK's stdio transport cannot ask for another), and its lists are reduced to what {@code revision} defines.
     */
    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("upstreamsAndRevisions")
    void theJavaSdkSeesTheUpstreamThroughAVirtualServer(String kind, String revision) throws Exception {
        Upstream upstream = upstream(kind);
        McpClientTransport directTransport;
        if (upstream.direct().get("stdio") instanceof List<?> command) {
            List<String> words = command.stream().map(String::valueOf).toList();
            directTransport = new StdioClientTransport(ServerParameters.builder(words.get(0))
                    .args(words.subList(1, words.size())).build(), McpJsonDefaults.getMapper());
        } else {
            URI url = URI.create((String) upstream.direct().get("url"));
            directTransport = HttpClientStreamableHttpTransport.builder("http://" + url.getAuthority())
                    .endpoint(url.getPath()).build();
        }
        McpClientTransport throughTransport = HttpClientStreamableHttpTransport.builder(gateway.baseUrl())
                .endpoint(upstream.serverPath())
                .requestBuilder(HttpRequest.newBuilder().header("Authorization",
                        gateway.as("java-client", "mcp:use").authorization()))
                .supportedProtocolVersions(List.of(revision)).build();
        try (McpSyncClient direct = ServerEverythingTest.sameCapabilities(directTransport);
                McpSyncClient through = ServerEverythingTest.sameCapabilities(throughTransport)) {
            assertThat(through.getCurrentInitializationResult().protocolVersion()).isEqualTo(revision);
            assertSameDefinitions(javaLists(direct), javaLists(through), revision);

            @SuppressWarnings("unchecked")
            Map<String, Object> call = (Map<String, Object>) upstream.uses().get("call");
            McpSchema.CallToolRequest callRequest = McpSchema.CallToolRequest.builder()
                    .name((String) call.get("name")).arguments(castMap(call.get("arguments"))).build();
            assertThat(through.callTool(callRequest)).isEqualTo(direct.callTool(callRequest));
            @SuppressWarnings("unchecked")
            Map<String, Object> prompt = (Map<String, Object>) upstream.uses().get("prompt");
            McpSchema.GetPromptRequest promptRequest = new McpSchema.GetPromptRequest((String) prompt.get("name"),
                    castMap(prompt.get("arguments")));
            assertThat(through.getPrompt(promptRequest)).isEqualTo(direct.getPrompt(promptRequest));
            McpSchema.ReadResourceRequest read = new McpSchema.ReadResourceRequest((String) upstream.uses()
                    .get("read"));
            assertThat(through.readResource(read)).isEqualTo(direct.readResource(read));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    /** The four lists as the Java SDK's records, every page, written as JSON. */
    private static JsonNode javaLists(McpSyncClient client) throws Exception {
        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        List<Object> tools = new ArrayList<>();
        List<Object> prompts = new ArrayList<>();
        List<Object> resources = new ArrayList<>();
        List<Object> templates = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = client.listTools(cursor);
            tools.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null);
        do {
            McpSchema.ListPromptsResult page = client.listPrompts(cursor);
            prompts.addAll(page.prompts());
            cursor = page.nextCursor();
        } while (cursor != null);
        do {
            McpSchema.ListResourcesResult page = client.listResources(cursor);
            resources.addAll(page.resources());
            cursor = page.nextCursor();
        } while (cursor != null);
        do {
            McpSchema.ListResourceTemplatesResult page = client.listResourceTemplates(cursor);
            templates.addAll(page.resourceTemplates());
            cursor = page.nextCursor();
        } while (cursor != null);
        return JSON.readTree(mapper.writeValueAsString(Map.of("tools", tools, "prompts", prompts,
                "resources", resources, "resourceTemplates", templates)));
    }

    @ParameterizedTest(name = "{0} at 2026-07-28")
    @MethodSource("upstreams")
    void aStatelessClientSeesTheUpstreamThroughAVirtualServer(String kind) {
        Upstream upstream = upstream(kind);
        JsonNode direct = sdkClient(plan(upstream.direct(), LATEST_SESSION, upstream.uses()));
        GatewayUnderTest.Client client = gateway.as("ts-client", "mcp:use");
        ObjectNode through = JSON.createObjectNode();
        for (Map.Entry<String, String> list : Map.of("tools/list", "tools", "prompts/list", "prompts",
                "resources/list", "resources", "resources/templates/list", "resourceTemplates").entrySet()) {
            through.set(list.getValue(), stateless(client, upstream.serverPath(), list.getKey(), Map.of(), null)
                    .get(list.getValue()));
        }
        assertSameDefinitions(direct, through, STATELESS);

        @SuppressWarnings("unchecked")
        Map<String, Object> call = (Map<String, Object>) upstream.uses().get("call");
        assertThat(stateless(client, upstream.serverPath(), "tools/call", call, (String) call.get("name")))
                .isEqualTo(direct.get("call"));
        @SuppressWarnings("unchecked")
        Map<String, Object> prompt = (Map<String, Object>) upstream.uses().get("prompt");
        assertThat(stateless(client, upstream.serverPath(), "prompts/get", prompt, (String) prompt.get("name")))
                .isEqualTo(direct.get("prompt"));
        String uri = (String) upstream.uses().get("read");
        assertThat(stateless(client, upstream.serverPath(), "resources/read", Map.of("uri", uri), uri))
                .isEqualTo(direct.get("read"));
    }

    static Stream<String> upstreams() {
        return Stream.of("everything-stdio", "everything-http", "java-sdk-server");
    }

    /** The result of one 2026-07-28 request to {@code path}, which must succeed. */
    private static JsonNode stateless(GatewayUnderTest.Client client, String path, String method,
                                      Map<String, Object> params, String name) {
        Map<String, Object> request = StatelessMcp.request(method, params,
                Map.of("sampling", Map.of(), "elicitation", Map.of(), "roots", Map.of("listChanged", true)));
        Reply reply = client.send("POST", path, request, StatelessMcp.headers(method, name));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode answer = reply.contentType().startsWith("text/event-stream") ? lastEvent(reply.text()) : reply.json();
        assertThat(answer.has("result")).as(method + ": " + reply.text()).isTrue();
        ObjectNode result = (ObjectNode) answer.get("result").deepCopy();
        // What every 2026-07-28 result carries (resultType, the cache hints of cacheable methods, the server's
        // identity in _meta) is the revision's, not part of the upstream's answer.
        assertThat(result.path("resultType").asString()).isEqualTo("complete");
        result.remove(List.of("resultType", "ttlMs", "cacheScope"));
        JsonNode meta = result.get("_meta");
        if (meta instanceof ObjectNode fields) {
            fields.properties().removeIf(f -> f.getKey().startsWith("io.modelcontextprotocol/"));
            if (fields.isEmpty()) {
                result.remove("_meta");
            }
        }
        return result;
    }

    private static JsonNode lastEvent(String stream) {
        JsonNode last = null;
        for (String line : stream.split("\n")) {
            if (line.startsWith("data:")) {
                last = JSON.readTree(line.substring(5).trim());
            }
        }
        return last;
    }

    /**
     * The four lists are equal, keyed by name (tools, prompts) or URI (resources, templates), each direct entry
     * reduced to the members {@code revision} defines: the upstream may send newer members to an older client, and
     * the gateway speaks each revision as it is written.
     */
    private static void assertSameDefinitions(JsonNode direct, JsonNode through, String revision) {
        Map<String, String> keys = Map.of("tools", "name", "prompts", "name", "resources", "uri",
                "resourceTemplates", "uriTemplate");
        keys.forEach((list, key) -> {
            Map<String, JsonNode> expected = byKey(direct.get(list), key, revision);
            Map<String, JsonNode> seen = byKey(through.get(list), key, null);
            assertThat(seen.keySet()).as(list + " at " + revision).isEqualTo(expected.keySet());
            expected.forEach((name, entry) -> assertThat(seen.get(name)).as(list + " " + name + " at " + revision)
                    .isEqualTo(entry));
        });
    }

    private static Map<String, JsonNode> byKey(JsonNode items, String key, String revision) {
        Map<String, JsonNode> byKey = new TreeMap<>();
        if (items != null) {
            for (JsonNode item : items) {
                byKey.put(item.get(key).asString(), revision == null ? item : definedAt((ObjectNode) item.deepCopy(),
                        revision));
            }
        }
        return byKey;
    }

    /** An entry with only the members the revision's schema has (the spec's changelogs say when each came). */
    private static JsonNode definedAt(ObjectNode entry, String revision) {
        // Tasks are not relayed (Switchboard declares no tasks capability), so no tool says how it runs as one.
        entry.remove("execution");
        if (revision.compareTo("2025-11-25") < 0) {
            entry.remove("icons");
        }
        if (revision.compareTo("2025-06-18") < 0) {
            entry.remove("title");
            entry.remove("_meta");
            entry.remove("outputSchema");
            JsonNode arguments = entry.get("arguments");
            if (arguments != null) {
                arguments.forEach(argument -> ((ObjectNode) argument).remove("title"));
            }
        }
        if (revision.compareTo("2025-03-26") < 0) {
            entry.remove("annotations");
        }
        return entry;
    }

    private static Map<String, Object> plan(Map<String, Object> target, String revision, Map<String, Object> uses) {
        Map<String, Object> plan = new LinkedHashMap<>(target);
        plan.put("protocolVersion", revision);
        plan.putAll(uses);
        plan.put("timeoutMs", 60_000);
        return plan;
    }

    private static Map<String, Object> throughGateway(Upstream upstream) {
        return Map.of("url", gateway.baseUrl() + upstream.serverPath(),
                "headers", Map.of("Authorization", gateway.as("ts-client", "mcp:use").authorization()));
    }

    private static JsonNode sdkClient(Map<String, Object> plan) {
        return NodeUpstreams.runSdkClient(plan);
    }

    private static synchronized Upstream upstream(String kind) {
        Upstream known = UPSTREAMS.get(kind);
        if (known != null) {
            return known;
        }
        Map<String, Object> direct;
        Map<String, Object> registration;
        Map<String, Object> uses;
        switch (kind) {
            case "everything-stdio" -> {
                List<String> command = NodeUpstreams.everythingStdio();
                direct = Map.of("stdio", command);
                registration = Map.of("transport", "stdio", "command", Map.of("command", command.get(0),
                        "args", command.subList(1, command.size())));
                uses = everythingUses();
            }
            case "everything-http" -> {
                NodeUpstreams.Server http = NodeUpstreams.everythingHttp();
                STARTED.add(http);
                direct = Map.of("url", http.url());
                registration = Map.of("url", http.url(), "transport", "streamable_http");
                uses = everythingUses();
            }
            case "java-sdk-server" -> {
                NodeUpstreams.sdkClient();
                UpstreamServers.Http http = UpstreamServers.streamable(null);
                STARTED.add(http);
                dress(http);
                direct = Map.of("url", http.url());
                registration = Map.of("url", http.url());
                uses = Map.of("call", Map.of("name", "dressed", "arguments", Map.of("b", 1.5)),
                        "prompt", Map.of("name", "greet", "arguments", Map.of("name", "Ada")),
                        "read", "fixture://dressed");
            }
            default -> throw new IllegalArgumentException(kind);
        }
        String slug = "ts" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, Object> body = new LinkedHashMap<>(registration);
        body.put("name", slug);
        body.put("slug", slug);
        Reply created = gateway.admin().post("/v1/gateways", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode discovery = created.json().get("discovery");
        assertThat(discovery.get("status").asString()).as(discovery.toString()).isEqualTo("completed");
        Reply server = gateway.admin().post("/v1/servers", Map.of("name", "vs-" + slug));
        assertThat(server.status()).as(server.toString()).isEqualTo(201);
        Reply added = gateway.admin().post("/v1/servers/" + server.id() + "/members", Map.of("gateway", created.id()));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        Upstream upstream = new Upstream(direct, "/servers/" + server.id() + "/mcp", uses);
        UPSTREAMS.put(kind, upstream);
        return upstream;
    }

    /** server-everything's deterministic entries: their answers depend only on the arguments. */
    private static Map<String, Object> everythingUses() {
        return Map.of("call", Map.of("name", "echo", "arguments", Map.of("message", "through the switchboard")),
                "prompt", Map.of("name", "args-prompt", "arguments", Map.of("city", "Lyon", "state", "Rhone")),
                "read", "demo://resource/static/document/features.md");
    }

    /** Entries with every optional member: title, icons, _meta, an output schema, annotations. */
    private static void dress(UpstreamServers.Http http) {
        List<McpSchema.Icon> icons = List.of(new McpSchema.Icon("https://icons.example/dressed.png", "image/png",
                List.of("48x48"), null));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("z", 1);
        meta.put("example.com/kind", Map.of("b", List.of(true, "x")));
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("type", "object");
        input.put("properties", Map.of("b", Map.of("type", "number", "default", 1.5)));
        http.server().addTool(SyncToolSpecification.builder().tool(McpSchema.Tool.builder().name("dressed")
                .title("Dressed tool").description("carries every optional member").inputSchema(input)
                .outputSchema(Map.of("type", "object", "properties", Map.of("b", Map.of("type", "number"))))
                .annotations(new McpSchema.ToolAnnotations("Dressed", true, false, true, false, null))
                .icons(icons).meta(meta).build())
                .callHandler((x, r) -> McpSchema.CallToolResult.builder().addTextContent("b=" + r.arguments().get("b"))
                        .structuredContent(Map.of("b", r.arguments().get("b"))).build())
                .build());
        http.server().addPrompt(new SyncPromptSpecification(new McpSchema.Prompt("dressed-prompt", "Dressed prompt",
                "carries every optional member", List.of(new McpSchema.PromptArgument("topic", "Topic", "what about",
                true)), meta, icons),
                (x, r) -> new McpSchema.GetPromptResult("dressed", List.of(new McpSchema.PromptMessage(
                        McpSchema.Role.USER, new McpSchema.TextContent("about " + r.arguments().get("topic")))))));
        http.server().addResource(new SyncResourceSpecification(McpSchema.Resource.builder()
                .uri("fixture://dressed").name("dressed").title("Dressed resource").description("every member")
                .mimeType("text/plain").size(7L).icons(icons).meta(meta).build(),
                (x, r) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(r.uri(),
                        "text/plain", "dressed")))));
        http.server().addResourceTemplate(new SyncResourceTemplateSpecification(McpSchema.ResourceTemplate.builder()
                .uriTemplate("fixture://dressed/{id}").name("dressed-item").title("Dressed item")
                .description("every member").mimeType("text/plain").icons(icons).meta(meta).build(),
                (x, r) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(r.uri(),
                        "text/plain", "item")))));
    }
}
