package dev.switchboard.mcp;

import static dev.switchboard.mcp.McpFixtures.unique;
import static dev.switchboard.mcp.McpFixtures.weatherService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.protocol.Revision;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The official MCP Java SDK, as a real client, against a virtual server built through the registry API: on every
 * engine, in every revision the SDK speaks.
 */
class McpClientTest {

    private static final String LEGACY_SSE = "legacy HTTP+SSE";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};



    private static McpSyncClient client(GatewayUnderTest gateway, Client credentials, String endpoint,
                                        String version) {
        return connect(streamable(gateway, credentials, endpoint, version), spec -> spec);
    }

    static McpClientTransport streamable(GatewayUnderTest gateway, Client credentials, String endpoint,
                                         String version) {
        return HttpClientStreamableHttpTransport.builder(gateway.baseUrl())
                .endpoint(endpoint)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", credentials.authorization()))
                .supportedProtocolVersions(List.of(version))
                .build();
    }

    /** The transport of revision 2024-11-05: a GET stream on {@code sseEndpoint}, messages POSTed beside it. */
    static McpClientTransport legacy(GatewayUnderTest gateway, Client credentials, String sseEndpoint) {
        return HttpClientSseClientTransport.builder(gateway.baseUrl())
                .sseEndpoint(sseEndpoint)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", credentials.authorization()))
                .build();
    }

    static McpSyncClient connect(McpClientTransport transport, UnaryOperator<McpClient.SyncSpec> customize) {
        return customize.apply(McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))).build();
    }

    @EngineTest
    void aVirtualServerServesItsToolsResourcesAndPromptsToTheSdk(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        HttpServer weather = weatherService(city -> "{\"city\":\"" + city + "\",\"celsius\":21}");
        try {
            String forecast = unique("forecast");
            String tool = admin.post("/v1/tools", Map.of("name", forecast, "displayName", "forecast",
                    "description", "Weather for a city",
                    "inputSchema", Map.of("type", "object", "required", List.of("city"),
                            "properties", Map.of("city", Map.of("type", "string"))),
                    "request", Map.of("method", "GET",
                            "url", "http://127.0.0.1:" + weather.getAddress().getPort() + "/weather/{city}"))).id();
            String notMember = admin.post("/v1/tools", Map.of("name", unique("other"),
                    "inputSchema", Map.of("type", "object"),
                    "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/"))).id();
            String page = unique("handbook");
            String text = admin.post("/v1/resources", Map.of("uri", "docs://" + page + "/intro", "name", page,
                    "mimeType", "text/markdown", "text", "# Welcome")).id();
            String logo = admin.post("/v1/resources", Map.of("uri", "img://" + page + "/logo", "name", page + "-logo",
                    "mimeType", "image/png", "blob", Base64.getEncoder().encodeToString(PNG))).id();
            String template = admin.post("/v1/resources", Map.of("uri", "docs://" + page + "/{chapter}",
                    "template", true, "name", page + "-chapters")).id();
            String summary = unique("summary");
            String prompt = admin.post("/v1/prompts", Map.of("name", summary, "description", "Summarize",
                    "template", "Summarize {{topic}} in {{words}} words.",
                    "arguments", List.of(Map.of("name", "topic", "required", true),
                            Map.of("name", "words", "required", false)))).id();
            String server = admin.post("/v1/servers", Map.of("name", unique("sdk"))).id();
            String base = "/v1/servers/" + server;
            assertThat(admin.put(base + "/tools", Map.of("ids", List.of(tool)), null).status()).isEqualTo(200);
            assertThat(admin.put(base + "/resources", Map.of("ids", List.of(text, logo, template)), null).status())
                    .isEqualTo(200);
            assertThat(admin.put(base + "/prompts", Map.of("ids", List.of(prompt)), null).status()).isEqualTo(200);
            assertThat(notMember).isNotBlank();

            // Streamable HTTP in every revision, then the legacy HTTP+SSE transport.
            List<String> connections = new ArrayList<>(Revision.SESSION.stream().map(Revision::wire).toList());
            connections.add(LEGACY_SSE);
            for (String connection : connections) {
                Client user = gateway.as("sdk-user", "mcp:use");
                try (McpSyncClient mcp = connect(connection.equals(LEGACY_SSE)
                        ? legacy(gateway, user, "/servers/" + server + "/sse")
                        : streamable(gateway, user, "/servers/" + server + "/mcp", connection), spec -> spec)) {
                    McpSchema.InitializeResult init = mcp.initialize();
                    if (!connection.equals(LEGACY_SSE)) {
                        assertThat(init.protocolVersion()).isEqualTo(connection);
                    }
                    assertThat(init.serverInfo().name()).isEqualTo("switchboard");

                    McpSchema.ListToolsResult tools = mcp.listTools(null);
                    assertThat(tools.tools()).extracting(McpSchema.Tool::name).containsExactly("forecast");
                    assertThat(tools.tools().getFirst().description()).isEqualTo("Weather for a city");
                    assertThat(tools.nextCursor()).isNull();

                    McpSchema.CallToolResult called = mcp.callTool(new McpSchema.CallToolRequest("forecast",
                            Map.of("city", "Oslo")));
                    assertThat(called.isError()).as(called.toString()).isFalse();
                    assertThat(((McpSchema.TextContent) called.content().getFirst()).text())
                            .isEqualTo("{\"city\":\"Oslo\",\"celsius\":21}");

                    assertThat(mcp.listResources(null).resources()).extracting(McpSchema.Resource::uri)
                            .containsExactly("docs://" + page + "/intro", "img://" + page + "/logo");
                    assertThat(mcp.listResourceTemplates(null).resourceTemplates())
                            .extracting(McpSchema.ResourceTemplate::uriTemplate)
                            .containsExactly("docs://" + page + "/{chapter}");
                    var intro = (McpSchema.TextResourceContents) mcp.readResource(
                            new McpSchema.ReadResourceRequest("docs://" + page + "/intro")).contents().getFirst();
                    assertThat(intro.text()).isEqualTo("# Welcome");
                    assertThat(intro.mimeType()).isEqualTo("text/markdown");
                    var png = (McpSchema.BlobResourceContents) mcp.readResource(
                            new McpSchema.ReadResourceRequest("img://" + page + "/logo")).contents().getFirst();
                    assertThat(Base64.getDecoder().decode(png.blob())).isEqualTo(PNG);
                    assertThat(png.mimeType()).isEqualTo("image/png");
                    assertThatThrownBy(() -> mcp.readResource(new McpSchema.ReadResourceRequest("docs://nope")))
                            .isInstanceOf(McpError.class);

                    McpSchema.Prompt listed = mcp.listPrompts(null).prompts().getFirst();
                    assertThat(listed.name()).isEqualTo(summary);
                    assertThat(listed.arguments()).extracting(McpSchema.PromptArgument::name,
                            McpSchema.PromptArgument::required)
                            .containsExactly(tuple("topic", true),
                                    tuple("words", false));
                    McpSchema.GetPromptResult got = mcp.getPrompt(new McpSchema.GetPromptRequest(summary,
                            Map.of("topic", "MCP", "words", "ten")));
                    assertThat(((McpSchema.TextContent) got.messages().getFirst().content()).text())
                            .isEqualTo("Summarize MCP in ten words.");
                    assertThatThrownBy(() -> mcp.getPrompt(new McpSchema.GetPromptRequest(summary, Map.of())))
                            .isInstanceOf(McpError.class).hasMessageContaining("topic");

                    mcp.setLoggingLevel(McpSchema.LoggingLevel.WARNING);
                    mcp.ping();
                }
            }

            // The whole catalog holds the server's entries too, and the tool not in the server; tools by name.
            try (McpSyncClient all = client(gateway, gateway.as("sdk-user", "mcp:use"), "/mcp", "2025-11-25")) {
                all.initialize();
                List<String> names = new ArrayList<>();
                String cursor = null;
                do {
                    McpSchema.ListToolsResult result = all.listTools(cursor);
                    result.tools().forEach(t -> names.add(t.name()));
                    cursor = result.nextCursor();
                } while (cursor != null);
                assertThat(names).contains(forecast).doesNotContain("forecast");
                assertThat(all.callTool(new McpSchema.CallToolRequest(forecast, Map.of("city", "Rome"))).isError())
                        .isFalse();
            }
        } finally {
            weather.stop(0);
        }
    }

    /** Paging needs only one engine: this runs on SQLite. */
    @Test
    void listsComeInPagesOfAHundred() {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of())) {
            Client admin = gateway.admin();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                ids.add(admin.post("/v1/tools", Map.of("name", String.format("tool-%03d", i),
                        "inputSchema", Map.of("type", "object"),
                        "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/"))).id());
            }
            String server = admin.post("/v1/servers", Map.of("name", "paged")).id();
            assertThat(admin.put("/v1/servers/" + server + "/tools", Map.of("ids", ids), null).status())
                    .isEqualTo(200);
            for (String endpoint : List.of("/servers/" + server + "/mcp", "/mcp")) {
                try (McpSyncClient mcp = client(gateway, gateway.admin(), endpoint, "2025-06-18")) {
                    mcp.initialize();
                    McpSchema.ListToolsResult first = mcp.listTools(null);
                    assertThat(first.tools()).hasSize(100);
                    assertThat(first.nextCursor()).isNotNull();
                    McpSchema.ListToolsResult second = mcp.listTools(first.nextCursor());
                    assertThat(second.tools()).hasSize(50);
                    assertThat(second.nextCursor()).isNull();
                    List<String> names = new ArrayList<>();
                    first.tools().forEach(t -> names.add(t.name()));
                    second.tools().forEach(t -> names.add(t.name()));
                    assertThat(names).doesNotHaveDuplicates().isSorted().hasSize(150);
                }
            }
        }
    }

    /**
     * Changes made through the registry API reach connected SDK clients: list_changed makes the SDK list again,
     * resources/updated makes it read the subscribed resource again; a tool call that asks for progress gets it.
     * Streams do not depend on the engine, so this runs on SQLite, over both HTTP transports.
     */
    @Test
    void changesInTheRegistryReachConnectedClients() throws InterruptedException {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                Map.of("SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL", "PT0.1S"))) {
            Client admin = gateway.admin();
            HttpServer weather = weatherService(city -> "{\"city\":\"" + city + "\",\"celsius\":21}");
            try {
                String first = admin.post("/v1/tools", Map.of("name", "first", "inputSchema", Map.of("type", "object"),
                        "request", Map.of("method", "GET", "url", "http://127.0.0.1:"
                                + weather.getAddress().getPort() + "/weather/Bergen"))).id();
                Reply notes = admin.post("/v1/resources", Map.of("uri", "docs://notes", "name", "notes",
                        "text", "version one"));
                String server = admin.post("/v1/servers", Map.of("name", "watched")).id();
                String base = "/v1/servers/" + server;
                assertThat(admin.put(base + "/tools", Map.of("ids", List.of(first)), null).status()).isEqualTo(200);
                assertThat(admin.put(base + "/resources", Map.of("ids", List.of(notes.id())), null).status())
                        .isEqualTo(200);

                int round = 0;
                for (String connection : List.of("2025-11-25", "2025-03-26", LEGACY_SSE)) {
                    round++;
                    BlockingQueue<List<String>> toolLists = new LinkedBlockingQueue<>();
                    BlockingQueue<String> updates = new LinkedBlockingQueue<>();
                    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
                    Client user = gateway.as("watcher", "mcp:use");
                    McpClientTransport transport = connection.equals(LEGACY_SSE)
                            ? legacy(gateway, user, "/servers/" + server + "/sse")
                            : streamable(gateway, user, "/servers/" + server + "/mcp", connection);
                    try (McpSyncClient mcp = connect(transport, spec -> spec
                            .toolsChangeConsumer(tools -> toolLists.add(tools.stream().map(McpSchema.Tool::name)
                                    .toList()))
                            .resourcesUpdateConsumer(contents -> contents.forEach(c -> updates.add(
                                    ((McpSchema.TextResourceContents) c).text())))
                            .progressConsumer(progress::add))) {
                        McpSchema.InitializeResult init = mcp.initialize();
                        assertThat(init.capabilities().tools().listChanged()).isTrue();
                        assertThat(init.capabilities().resources().subscribe()).isTrue();
                        mcp.subscribeResource(new McpSchema.SubscribeRequest("docs://notes"));

                        String added = admin.post("/v1/tools", Map.of("name", "added-" + round,
                                "inputSchema", Map.of("type", "object"),
                                "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/"))).id();
                        assertThat(admin.send("POST", base + "/tools/" + added, null, Map.of()).status())
                                .isEqualTo(200);
                        assertThat(toolLists.poll(15, TimeUnit.SECONDS)).as(connection)
                                .contains("first", "added-" + round);

                        Reply current = admin.get("/v1/resources/" + notes.id());
                        assertThat(admin.patch("/v1/resources/" + notes.id(), Map.of("text", "version " + round),
                                current.etag()).status()).isEqualTo(200);
                        assertThat(updates.poll(15, TimeUnit.SECONDS)).as(connection).isEqualTo("version " + round);

                        McpSchema.CallToolResult called = mcp.callTool(new McpSchema.CallToolRequest("first",
                                Map.of(), Map.of("progressToken", "p-" + round)));
                        assertThat(called.isError()).as(called.toString()).isFalse();
                        // The SDK hands notifications to consumers on its own threads, maybe after the result and
                        // not always in the order they came (McpStreamTest checks the order on the wire).
                        await().atMost(Duration.ofSeconds(10)).until(() -> progress.size() >= 2);
                        assertThat(progress).as(connection).extracting(McpSchema.ProgressNotification::progress)
                                .containsExactlyInAnyOrder(0.0, 1.0);
                        String token = "p-" + round;
                        assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo(token));
                    }
                }
            } finally {
                weather.stop(0);
            }
        }
    }
}
