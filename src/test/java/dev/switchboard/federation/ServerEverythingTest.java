package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.NodeUpstreams;
import dev.switchboard.testing.TestEngines;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real third-party upstream: the reference server-everything from npm, over stdio and Streamable HTTP. A client
 * going through the gateway sees the same tools and gets the same results as a client connected directly.
 */
class ServerEverythingTest {

    /**
     * Tools whose answers depend only on their arguments, so the direct and proxied answers must be equal; those in
     * {@link #TIMESTAMPED} also carry the time of day, which is masked before they are compared.
     */
    private static final Map<String, Map<String, Object>> DETERMINISTIC = Map.of(
            "echo", Map.of("message", "through the switchboard"),
            "get-sum", Map.of("a", 19, "b", 23),
            "get-tiny-image", Map.of(),
            "get-annotated-message", Map.of("messageType", "error", "includeImage", true),
            "get-resource-reference", Map.of("resourceType", "Text", "resourceId", 3),
            "get-resource-links", Map.of("count", 2));

    /** Tools whose text says when it was made, to the second ("created at 4:42:00 PM"). */
    private static final Set<String> TIMESTAMPED = Set.of("get-resource-reference");
    /** Node's toLocaleTimeString: "4:42:00 PM" (U+202F before PM on newer ICU) or "16:42:00". */
    private static final Pattern TIME_OF_DAY = Pattern.compile("\\d{1,2}:\\d{2}:\\d{2}(?:[\\s\\u202F]?[AP]M)?");

    private static GatewayUnderTest gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "streamable_http"})
    void throughTheGatewayItIsTheSameServer(String transport) {
        NodeUpstreams.Server http = null;
        McpClientTransport directTransport;
        Map<String, Object> registration;
        if (transport.equals("stdio")) {
            List<String> command = NodeUpstreams.everythingStdio();
            directTransport = new StdioClientTransport(ServerParameters.builder(command.get(0))
                    .args(command.subList(1, command.size())).build(), McpJsonDefaults.getMapper());
            registration = Map.of("transport", "stdio", "command", Map.of("command", command.get(0),
                    "args", command.subList(1, command.size())));
        } else {
            http = NodeUpstreams.everythingHttp();
            URI url = URI.create(http.url());
            directTransport = HttpClientStreamableHttpTransport.builder("http://" + url.getAuthority())
                    .endpoint(url.getPath()).build();
            registration = Map.of("url", http.url(), "transport", "streamable_http");
        }
        String slug = FederationProxyTest.register(gateway, registration);
        List<Object> heard = new CopyOnWriteArrayList<>();
        try (McpSyncClient direct = sameCapabilities(directTransport);
             McpSyncClient through = FederationProxyTest.client(gateway, "2025-11-25", heard)) {
            Map<String, McpSchema.Tool> expected = new TreeMap<>();
            direct.listTools().tools().forEach(t -> expected.put(t.name(), t));
            Map<String, McpSchema.Tool> seen = new TreeMap<>();
            through.listTools().tools().stream().filter(t -> t.name().startsWith(slug + "."))
                    .forEach(t -> seen.put(t.name().substring(slug.length() + 1), t));
            assertThat(seen.keySet()).isEqualTo(expected.keySet()).containsAll(DETERMINISTIC.keySet());
            seen.forEach((name, tool) -> {
                assertThat(tool.description()).as(name).isEqualTo(expected.get(name).description());
                assertThat(tool.inputSchema()).as(name).isEqualTo(expected.get(name).inputSchema());
            });
            DETERMINISTIC.forEach((name, args) -> {
                McpSchema.CallToolResult proxied = through.callTool(McpSchema.CallToolRequest.builder()
                        .name(slug + "." + name).arguments(args).build());
                McpSchema.CallToolResult straight = direct.callTool(McpSchema.CallToolRequest.builder().name(name)
                        .arguments(args).build());
                // The two calls may fall on either side of a second: the time is masked, the rest compared exactly.
                if (TIMESTAMPED.contains(name)) {
                    assertThat(timeMasked(proxied)).as(name).isEqualTo(timeMasked(straight));
                } else {
                    assertThat(proxied).as(name).isEqualTo(straight);
                }
            });
            // Completions and templated reads go to the upstream that serves the prompt or template.
            McpSchema.CompleteRequest.CompleteArgument department =
                    new McpSchema.CompleteRequest.CompleteArgument("department", "E");
            assertThat(through.completeCompletion(new McpSchema.CompleteRequest(
                    new McpSchema.PromptReference(slug + ".completable-prompt"), department)))
                    .isEqualTo(direct.completeCompletion(new McpSchema.CompleteRequest(
                            new McpSchema.PromptReference("completable-prompt"), department)));
            McpSchema.ReadResourceResult read = through.readResource(
                    new McpSchema.ReadResourceRequest("demo://resource/dynamic/text/7"));
            assertThat(read.contents()).singleElement().satisfies(c -> {
                assertThat(c.uri()).isEqualTo("demo://resource/dynamic/text/7");
                assertThat(((McpSchema.TextResourceContents) c).text())
                        .startsWith("Resource 7: This is a plaintext resource");
            });
        } finally {
            if (http != null) {
                http.close();
            }
        }
    }

    /** The result as JSON, with every time of day replaced by a placeholder. */
    private static String timeMasked(McpSchema.CallToolResult result) {
        try {
            return TIME_OF_DAY.matcher(McpJsonDefaults.getMapper().writeValueAsString(result)).replaceAll("<time>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Java SDK client that declares what the gateway declares upstream, since server-everything's tools depend on
     * it (SdkClientsTest uses it too).
     */
    static McpSyncClient sameCapabilities(McpClientTransport transport) {
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().roots(true).build())
                .sampling(r -> McpSchema.CreateMessageResult.builder().role(McpSchema.Role.ASSISTANT)
                        .content(new McpSchema.TextContent("4")).model("m").build())
                .elicitation(r -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null))
                .build();
        client.initialize();
        return client;
    }
}
