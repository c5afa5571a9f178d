package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.CatalogSync;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.UpstreamOffer;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.TestEngines;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What discovery stores reaches connected MCP clients as list_changed, and a discovery that changed nothing
 * announces nothing. The upstream's side is its lists, handed to {@link CatalogSync} as discovery would; the
 * client is the official SDK on /mcp. Announcements do not depend on the engine, so this runs on one database.
 */
class DiscoveryAnnouncementTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aDiscoveryThatAddsAToolIsAnnouncedAndAnIdleOneIsNot() throws InterruptedException {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                Map.of("SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL", "PT0.1S"))) {
            Client admin = gateway.admin();
            UUID upstream = UUID.fromString(admin.post("/v1/gateways", Map.of("name", "announced",
                    "url", "http://127.0.0.1:9/mcp")).id());
            // Nothing listens on port 9, so registration left it unreachable; as if discovery had reached it:
            gateway.bean(UpstreamHealthRepository.class).recordSuccess(upstream, Instant.now());
            CatalogSync sync = gateway.bean(CatalogSync.class);
            JsonNode echo = JSON.readTree("{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}}");
            JsonNode add = JSON.readTree("{\"name\":\"add\",\"inputSchema\":{\"type\":\"object\"}}");
            sync.sync(upstream, new UpstreamOffer("2025-11-25", List.of(echo), null, null, null));

            BlockingQueue<List<String>> toolLists = new LinkedBlockingQueue<>();
            Client user = gateway.as("listener", "mcp:use");
            try (McpSyncClient mcp = McpClient.sync(HttpClientStreamableHttpTransport.builder(gateway.baseUrl())
                            .endpoint("/mcp")
                            .requestBuilder(HttpRequest.newBuilder().header("Authorization", user.authorization()))
                            .build())
                    .requestTimeout(Duration.ofSeconds(20))
                    .toolsChangeConsumer(tools -> toolLists.add(tools.stream().map(McpSchema.Tool::name).toList()))
                    .build()) {
                mcp.initialize();
                assertThat(mcp.listTools().tools()).extracting(McpSchema.Tool::name).contains("announced.echo");

                sync.sync(upstream, new UpstreamOffer("2025-11-25", List.of(echo), null, null, null));
                assertThat(toolLists.poll(2, TimeUnit.SECONDS)).as("an idle discovery announces nothing").isNull();

                sync.sync(upstream, new UpstreamOffer("2025-11-25", List.of(echo, add), null, null, null));
                assertThat(toolLists.poll(15, TimeUnit.SECONDS)).contains("announced.echo", "announced.add");

                sync.sync(upstream, new UpstreamOffer("2025-11-25", List.of(add), null, null, null));
                List<String> afterVanish = toolLists.poll(15, TimeUnit.SECONDS);
                assertThat(afterVanish).contains("announced.add").doesNotContain("announced.echo");
            }
        }
    }
}
