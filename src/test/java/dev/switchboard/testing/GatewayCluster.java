package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gateways on one registry, as replicas of one deployment: they share what replicas share (the secret key, which
 * the test database's URL brings, the JWT secret and the administrator's password), so a client's credential is good
 * on each.
 */
public final class GatewayCluster implements AutoCloseable {

    private final List<GatewayUnderTest> replicas = new ArrayList<>();

    /** {@code size} gateways on the database at {@code url}. */
    public GatewayCluster(String url, int size) {
        Map<String, String> shared = sharedSettings();
        try {
            for (int i = 0; i < size; i++) {
                replicas.add(GatewayUnderTest.start(url, shared));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** What the replicas of one deployment share, fresh: for gateways started one after another on one registry. */
    public static Map<String, String> sharedSettings() {
        return Map.of("JWT_SECRET", "replicas-share-this-jwt-secret-" + UUID.randomUUID(),
                "ADMIN_PASSWORD", "replicas-share-" + UUID.randomUUID());
    }

    public GatewayUnderTest replica(int index) {
        return replicas.get(index);
    }

    public List<String> baseUrls() {
        return replicas.stream().map(GatewayUnderTest::baseUrl).toList();
    }

    /**
     * Registers the upstream MCP server at {@code url} through the first replica, under a fresh slug, and returns
     * the slug once every replica's catalog has caught up and serves {@code tool} of it.
     */
    public String registerUpstream(String url, String tool) {
        String slug = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        GatewayUnderTest.Reply created = replica(0).admin().post("/v1/gateways", Map.of("name", slug, "slug", slug,
                "url", url));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        for (GatewayUnderTest replica : replicas) {
            await().atMost(Duration.ofSeconds(20)).until(() -> replica.admin().get("/v1/tools?limit=500").text()
                    .contains(slug + "." + tool));
        }
        return slug;
    }

    /** Stops replica {@code index} (a graceful stop); the others go on. */
    public void stop(int index) {
        replicas.get(index).close();
    }

    @Override
    public void close() {
        for (GatewayUnderTest replica : replicas) {
            try {
                replica.close();
            } catch (RuntimeException e) {
                // stopped already
            }
        }
    }
}
