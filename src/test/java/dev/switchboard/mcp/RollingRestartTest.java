package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.persistence.Dialect;
import dev.switchboard.testing.AlternatingProxy;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayCluster;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.StreamableUpstream;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rolling restart under steady load: three gateways on one registry behind a round-robin proxy with no affinity,
 * each stopped gracefully (as SIGTERM in a rolling update does) and replaced by a new one, one after another, while
 * the official Java SDK client calls a federated tool without pause in one session. No call fails, and the session
 * outlives every replica it started on.
 */
class RollingRestartTest {

    @RegisterExtension
    static final StreamableUpstream UPSTREAM = new StreamableUpstream();

    @EngineTest
    void aRollingRestartOfEveryReplicaUnderSteadyLoadFailsNoCall(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return; // a SQLite file serves one gateway
        }
        String url = engine.newDatabaseUrl();
        Map<String, String> shared = GatewayCluster.sharedSettings();
        List<GatewayUnderTest> replicas = new ArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        try {
            for (int i = 0; i < 3; i++) {
                replicas.add(GatewayUnderTest.start(url, shared));
            }
            String slug = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            GatewayUnderTest.Reply created = replicas.getFirst().admin().post("/v1/gateways",
                    Map.of("name", slug, "slug", slug, "url", UPSTREAM.url()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String tool = slug + ".text";
            String authorization = replicas.getFirst().admin().authorization();
            try (AlternatingProxy proxy = AlternatingProxy.start(replicas.stream().map(GatewayUnderTest::baseUrl)
                    .toList());
                 McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(proxy.baseUrl())
                         .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder()
                                 .header("Authorization", authorization)).build())
                         .requestTimeout(Duration.ofSeconds(30)).build()) {
                client.initialize();
                await().atMost(Duration.ofSeconds(30)).until(() -> client.listTools().tools().stream()
                        .anyMatch(t -> t.name().equals(tool)));

                AtomicInteger answered = new AtomicInteger();
                List<String> failed = new CopyOnWriteArrayList<>();
                Thread load = Thread.startVirtualThread(() -> {
                    for (int n = 0; loading.get(); n++) {
                        try {
                            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder()
                                    .name(tool).arguments(Map.of("name", "call " + n)).build());
                            String text = ((McpSchema.TextContent) result.content().getFirst()).text();
                            if (Boolean.TRUE.equals(result.isError()) || !text.equals("hello call " + n)) {
                                failed.add("call " + n + ": " + result);
                            }
                        } catch (RuntimeException e) {
                            failed.add("call " + n + ": " + e);
                        }
                        answered.incrementAndGet();
                    }
                });

                for (int i = 0; i < replicas.size(); i++) {
                    int before = answered.get();
                    replicas.get(i).close();
                    GatewayUnderTest replacement = GatewayUnderTest.start(url, shared);
                    replicas.set(i, replacement);
                    proxy.replace(i, replacement.baseUrl());
                    // The load goes on through the new replica as well before the next one stops.
                    int sentBefore = proxy.sentTo().size();
                    int index = i;
                    await().atMost(Duration.ofSeconds(60)).until(() -> answered.get() > before + 10
                            && proxy.sentTo().subList(sentBefore, proxy.sentTo().size()).contains(index));
                }
                loading.set(false);
                load.join(Duration.ofSeconds(60));
                assertThat(failed).as("calls that failed during the rolling restart, of %d", answered.get())
                        .isEmpty();
                assertThat(answered.get()).isGreaterThan(30);
            }
        } finally {
            loading.set(false);
            replicas.forEach(r -> {
                try {
                    r.close();
                } catch (RuntimeException e) {
                    // stopped already
                }
            });
        }
    }
}
