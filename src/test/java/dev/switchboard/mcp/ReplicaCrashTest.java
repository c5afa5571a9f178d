package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.benchmark.GatewayProcess;
import dev.switchboard.benchmark.GatewayProcess.SharedSecrets;
import dev.switchboard.benchmark.Launch;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.testing.AlternatingProxy;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.NodeUpstreams;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.StreamableUpstream;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A replica killed with SIGKILL in the middle of a session: three gateways, each its own process as an operator runs
 * them, on one registry behind a round-robin proxy with no affinity; the official Java SDK client's session goes on
 * through the two that are left (calls, sampling relayed from the upstream, lists), and a new session of the
 * TypeScript SDK client works through them too. The proxy passes over the dead replica when it refuses the
 * connection, as a load balancer's passive health check does.
 */
class ReplicaCrashTest {

    @RegisterExtension
    static final StreamableUpstream UPSTREAM = new StreamableUpstream();

    @EngineTest
    void aSessionContinuesThroughTheOtherReplicasWhenOneIsKilled(TestEngine engine, @TempDir Path logs)
            throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return; // a SQLite file serves one replica
        }
        String url = engine.newDatabaseUrl();
        SharedSecrets secrets = SharedSecrets.fresh();
        List<GatewayProcess> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                replicas.add(GatewayProcess.startReplica(Launch.plain(Optional.empty()), url, secrets,
                        Files.createDirectories(logs).resolve("replica-" + i + ".log")));
            }
            GatewayProcess first = replicas.getFirst();
            String slug = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            first.send("POST", "/v1/gateways", Map.of("name", slug, "slug", slug, "url", UPSTREAM.url()), 201);
            for (GatewayProcess replica : replicas) {
                await().atMost(Duration.ofSeconds(30)).until(() -> replica.send("GET", "/v1/tools?limit=500", null,
                        200).toString().contains(slug + ".sample"));
            }
            try (AlternatingProxy proxy = AlternatingProxy.start(replicas.stream().map(GatewayProcess::baseUrl)
                    .toList());
                 McpSyncClient client = client(proxy, first.authorization())) {
                client.initialize();
                for (int i = 0; i < 3; i++) {
                    assertThat(text(client, slug + ".text", Map.of("name", "before"))).isEqualTo("hello before");
                }
                assertThat(text(client, slug + ".sample", Map.of())).isEqualTo("sampled: 4");

                replicas.get(1).process().kill();

                for (int i = 0; i < 3; i++) {
                    assertThat(text(client, slug + ".text", Map.of("name", "after"))).isEqualTo("hello after");
                    assertThat(text(client, slug + ".sample", Map.of())).isEqualTo("sampled: 4");
                }
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains(slug + ".sample");
                assertThat(proxy.refused()).as("the proxy met the dead replica and passed it over").contains(1);

                JsonNode seen = NodeUpstreams.runSdkClient(Map.of("url", proxy.baseUrl() + "/mcp",
                        "headers", Map.of("Authorization", first.authorization()), "protocolVersion", "2025-11-25",
                        "calls", List.of(Map.of("name", slug + ".sample", "arguments", Map.of()),
                                Map.of("name", slug + ".text", "arguments", Map.of("name", "ts"))),
                        "timeoutMs", 60_000));
                assertThat(seen.path("calls").valueStream().map(c -> c.at("/content/0/text").asString()).toList())
                        .as(seen.toString()).containsExactly("sampled: 4", "hello ts");
            }
        } finally {
            replicas.forEach(GatewayProcess::close);
        }
    }

    private static McpSyncClient client(AlternatingProxy proxy, String authorization) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(proxy.baseUrl())
                .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", authorization))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                .sampling(request -> McpSchema.CreateMessageResult.builder().role(McpSchema.Role.ASSISTANT)
                        .content(new McpSchema.TextContent("4")).model("test-model").build())
                .build();
    }

    private static String text(McpSyncClient client, String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder().name(tool)
                .arguments(arguments).build());
        assertThat(result.isError()).as(result.toString()).isNotEqualTo(Boolean.TRUE);
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }
}
