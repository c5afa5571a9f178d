package dev.switchboard.catalog.rest;

import static dev.switchboard.catalog.rest.RegistryApiTest.assertProblem;
import static dev.switchboard.catalog.rest.RegistryApiTest.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.RegistryDump;
import dev.switchboard.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;

/** Stored credentials never leak; concurrent writers never both win; federated tools keep what upstreams say. */
class SecretsAndConcurrencyApiTest {

    @EngineTest
    void storedSecretsAreWriteOnlyAndNeverStoredInClear(TestEngine engine) throws Exception {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String token = "bearer-" + UUID.randomUUID();
        String password = "password-" + UUID.randomUUID();
        String headerValue = "header-" + UUID.randomUUID();

        Reply upstream = admin.post("/v1/gateways", Map.of("name", unique("Secret"), "url", "https://up.example/mcp",
                "auth", Map.of("type", "bearer", "token", token)));
        Reply basic = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("Basic")), "auth",
                Map.of("type", "basic", "username", "svc", "password", password)));
        Reply header = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("Header")), "auth",
                Map.of("type", "header", "headerName", "X-Api-Key", "headerValue", headerValue)));
        assertThat(List.of(upstream.status(), basic.status(), header.status())).containsOnly(201);

        assertThat(upstream.json().get("auth").toString())
                .isEqualTo("{\"type\":\"bearer\",\"username\":null,\"headerName\":null,\"secretSet\":true,\"readable\":true}");
        assertThat(basic.json().get("auth").get("username").asString()).isEqualTo("svc");
        assertThat(header.json().get("auth").get("headerName").asString()).isEqualTo("X-Api-Key");

        // A change that leaves the secret out keeps it; a change of type without a secret is refused.
        Reply renamed = admin.patch("/v1/tools/" + basic.id(), Map.of("description", "kept"), basic.etag());
        assertThat(renamed.json().get("auth").get("secretSet").asBoolean()).isTrue();
        assertProblem(admin.patch("/v1/tools/" + basic.id(), Map.of("auth", Map.of("type", "bearer")), renamed.etag()),
                422, "validation-failed");

        String everything = admin.get("/v1/gateways?limit=500").text() + admin.get("/v1/tools?limit=500").text()
                + admin.get("/v1/gateways/" + upstream.id()).text() + admin.get("/v1/tools/" + basic.id()).text()
                + admin.get("/v1/tools/" + header.id()).text() + admin.get("/v1/export?secrets=encrypted").text()
                + admin.get("/v1/export").text();
        String stored = RegistryDump.of(gateway.database()).allText();
        for (String secret : List.of(token, password, headerValue)) {
            assertThat(everything).doesNotContain(secret);
            assertThat(stored).doesNotContain(secret);
        }
        assertThat(stored).contains("v1:");
    }

    @EngineTest
    void ofConcurrentUpdatesAtOneVersionExactlyOneWins(TestEngine engine) throws Exception {
        Client admin = GatewayUnderTest.shared(engine).admin();
        Reply created = admin.post("/v1/servers", Collections.SERVERS.body(unique("Race")));
        String path = "/v1/servers/" + created.id();
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                String description = "writer " + i;
                boolean replace = i % 2 == 0;
                replies.add(pool.submit(() -> {
                    start.await();
                    return replace
                            ? admin.put(path, Collections.with(Collections.SERVERS.body(created.json().get("name")
                                    .asString()), "description", description), created.etag())
                            : admin.patch(path, Map.of("description", description, "tags", List.of("t" + description.length())),
                                    created.etag());
                }));
            }
            start.countDown();
            List<Reply> done = new ArrayList<>();
            for (Future<Reply> reply : replies) {
                done.add(reply.get());
            }
            List<Reply> winners = done.stream().filter(r -> r.status() == 200).toList();
            assertThat(winners).hasSize(1);
            assertThat(done.stream().filter(r -> r.status() == 412).count()).isEqualTo(writers - 1);
            JsonNode now = admin.get(path).json();
            assertThat(now).isEqualTo(winners.getFirst().json());
            assertThat(now.get("version").asLong()).isEqualTo(2);
        }
    }

    @EngineTest
    void federatedToolsChangeOnlyTheirDisplayNameTagsAndSwitch(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String upstream = admin.post("/v1/gateways", Collections.GATEWAYS.body(unique("Upstream"))).id();
        String name = unique("up");
        Tool federated = gateway.bean(ToolRepository.class).create(new Tool(null, UUID.fromString(upstream),
                name + ".search", "search", "search", IntegrationType.MCP, "Search the upstream",
                "{\"type\":\"object\"}", null, null, null, AuthType.NONE, null, true, Set.of(), null, null, null, 0));
        String path = "/v1/tools/" + federated.id();

        Reply got = admin.get(path);
        assertThat(got.json().get("integrationType").asString()).isEqualTo("mcp");
        Reply renamed = admin.patch(path, Map.of("displayName", "find", "tags", List.of("upstream")), got.etag());
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().get("displayName").asString()).isEqualTo("find");
        assertThat(admin.post(path + "/disable", null).json().get("enabled").asBoolean()).isFalse();

        for (Map<String, Object> change : List.of(Map.<String, Object>of("description", "mine now"),
                Map.<String, Object>of("inputSchema", Map.of("type", "object", "properties", Map.of())),
                Map.<String, Object>of("name", "renamed"),
                Map.<String, Object>of("request", Map.of("method", "GET", "url", "https://x/")))) {
            Reply refused = admin.patch(path, change, "*");
            assertProblem(refused, 409, "read-only");
            assertThat(refused.json().get("field").asString()).isEqualTo(change.keySet().iterator().next());
        }
        assertThat(admin.get(path).json().get("description").asString()).isEqualTo("Search the upstream");
        assertProblem(admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("X")), "integrationType",
                "mcp")), 422, "validation-failed");
    }
}
