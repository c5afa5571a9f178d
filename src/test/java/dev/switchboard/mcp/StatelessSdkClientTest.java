package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.StreamableUpstream;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.SubscriptionEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official Java SDK's client for the stateless revision 2026-07-28 (the SDK's {@code modern} package) against
 * the gateway's endpoint, which fronts an upstream SDK server that speaks sessions: discover, lists, calls with
 * progress, an upstream's elicitation answered through input rounds, a prompt, a read, and a listen stream.
 */
class StatelessSdkClientTest {

    @RegisterExtension
    static final StreamableUpstream UPSTREAM = new StreamableUpstream();
    private static GatewayUnderTest gateway;
    private static String slug;

    @BeforeAll
    static void start() {
        // Polling for changes this often lets the listen stream hear one within a second.
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                Map.of("SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL", "PT0.1S"));
        slug = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Reply created = gateway.admin().post("/v1/gateways", Map.of("name", slug, "slug", slug, "url",
                UPSTREAM.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.admin().get("/v1/tools?limit=500").text()
                .contains(slug + ".elicit"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static McpSyncClient client() {
        return StatelessMcp.javaSdkClient(gateway.baseUrl() + "/mcp", gateway.admin().authorization());
    }

    @Test
    void discoversListsAndCallsWithProgress() {
        McpSyncClient client = client();
        McpSchema.DiscoverResult discovered = client.discover();
        assertThat(discovered.supportedVersions()).contains("2026-07-28");
        assertThat(discovered.capabilities().tools()).isNotNull();

        List<String> tools = client.tools().list().tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(tools).contains(slug + ".text", slug + ".progress", slug + ".elicit");

        McpSchema.CallToolResult hello = client.tool(slug + ".text").arguments(Map.of("name", "Ada")).call();
        assertThat(hello.content()).extracting(c -> ((McpSchema.TextContent) c).text()).containsExactly("hello Ada");

        List<McpSchema.ProgressParams> progress = new CopyOnWriteArrayList<>();
        McpSchema.CallToolResult done = client.tool(slug + ".progress").progress(progress::add).call();
        assertThat(done.content()).extracting(c -> ((McpSchema.TextContent) c).text()).containsExactly("done");
        assertThat(progress).extracting(McpSchema.ProgressParams::progress).containsExactly(1.0, 2.0);
    }

    @Test
    void anUpstreamsElicitationIsAnsweredThroughInputRounds() {
        List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
        McpSchema.CallToolResult answered = client().tool(slug + ".elicit").formElicitation(request -> {
            asked.add(request);
            return McpSchema.ElicitResult.accept(Map.of("name", "Grace"));
        }).call();
        assertThat(asked).extracting(McpSchema.ElicitFormRequest::message).containsExactly("Your name?");
        assertThat(answered.content()).extracting(c -> ((McpSchema.TextContent) c).text())
                .containsExactly("elicited: accept Grace");
    }

    @Test
    void promptsAreRenderedAndResourcesRead() {
        McpSyncClient client = client();
        McpSchema.GetPromptResult greeting = client.prompt(slug + ".greet").arguments(Map.of("name", "Linus")).get();
        assertThat(greeting.messages()).extracting(m -> ((McpSchema.TextContent) m.content()).text())
                .containsExactly("Hello Linus");
        String readme = client.resources().list().resources().stream()
                .filter(r -> r.name().equals("readme") || r.name().endsWith(".readme")).findFirst().orElseThrow()
                .uri();
        McpSchema.ReadResourceResult read = client.resource(readme).read();
        assertThat(read.contents()).isNotEmpty();
    }

    @Test
    void aListenStreamHearsOfANewTool() {
        List<SubscriptionEvent> events = new CopyOnWriteArrayList<>();
        try (McpSyncClient.Listening listening = client().listen().toolsChanged().open(events::add)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                    .anyMatch(e -> e instanceof SubscriptionEvent.Subscribed));
            String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            Reply tool = gateway.admin().post("/v1/tools", Map.of("name", name, "inputSchema", Map.of("type",
                    "object"), "request", Map.of("method", "GET", "url", gateway.baseUrl() + "/health")));
            assertThat(tool.status()).as(tool.toString()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                    .anyMatch(e -> e instanceof SubscriptionEvent.ToolsListChanged));
        }
    }
}
