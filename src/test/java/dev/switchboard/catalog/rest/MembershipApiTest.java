package dev.switchboard.catalog.rest;

import static dev.switchboard.catalog.rest.RegistryApiTest.assertProblem;
import static dev.switchboard.catalog.rest.RegistryApiTest.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** What a virtual server contains, read and changed through /v1/servers/{id}/tools, /resources and /prompts. */
class MembershipApiTest {

    private static List<String> memberIds(Reply reply) {
        return reply.json().get("items").valueStream().map(n -> n.get("id").asString()).toList();
    }

    @EngineTest
    void serversGainAndLoseMembersOfEachKind(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        String server = admin.post("/v1/servers", Collections.SERVERS.body(unique("Members"))).id();
        for (var kind : List.of(Map.entry("tools", Collections.TOOLS), Map.entry("resources", Collections.RESOURCES),
                Map.entry("prompts", Collections.PROMPTS))) {
            String a = admin.post(kind.getValue().path(), kind.getValue().body(unique("A"))).id();
            String b = admin.post(kind.getValue().path(), kind.getValue().body(unique("B"))).id();
            String path = "/v1/servers/" + server + "/" + kind.getKey();

            Reply set = admin.put(path, Map.of("ids", List.of(a, b)), null);
            assertThat(set.status()).as(set.toString()).isEqualTo(200);
            assertThat(memberIds(set)).containsExactlyInAnyOrder(a, b);
            assertThat(memberIds(admin.get(path))).containsExactlyInAnyOrder(a, b);

            assertThat(admin.delete(path + "/" + a, null).status()).isEqualTo(204);
            assertThat(memberIds(admin.get(path))).containsExactly(b);
            assertProblem(admin.delete(path + "/" + a, null), 404, "not-found");
            Reply added = admin.post(path + "/" + a, null);
            assertThat(added.status()).isEqualTo(200);
            assertThat(memberIds(added)).containsExactlyInAnyOrder(a, b);

            Reply unknown = admin.put(path, Map.of("ids", List.of(a, UUID.randomUUID().toString())), null);
            assertProblem(unknown, 422, "validation-failed");
            assertThat(unknown.json().get("field").asString()).isEqualTo("ids[1]");
            assertProblem(admin.put(path, Map.of(), null), 422, "validation-failed");
            assertProblem(admin.post(path + "/" + UUID.randomUUID(), null), 422, "validation-failed");
            assertThat(memberIds(admin.get(path))).containsExactlyInAnyOrder(a, b);

            // Deleting a member takes it out of the server.
            assertThat(admin.delete(kind.getValue().path() + "/" + b, null).status()).isEqualTo(204);
            assertThat(memberIds(admin.get(path))).containsExactly(a);
        }
    }

    @EngineTest
    void membershipChangesAreVersionedAndGuarded(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        Reply server = admin.post("/v1/servers", Collections.SERVERS.body(unique("Guarded")));
        String tool = admin.post("/v1/tools", Collections.TOOLS.body(unique("T"))).id();
        String path = "/v1/servers/" + server.id() + "/tools";

        Reply first = admin.put(path, Map.of("ids", List.of(tool)), server.etag());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.etag()).isEqualTo("\"2\"");
        assertProblem(admin.put(path, Map.of("ids", List.of()), server.etag()), 412, "stale-version");
        assertProblem(admin.delete(path + "/" + tool, server.etag()), 412, "stale-version");
        assertThat(memberIds(admin.get(path))).containsExactly(tool);

        assertProblem(gateway.anonymous().get(path), 401, "unauthorized");
        assertProblem(gateway.anonymous().put(path, Map.of("ids", List.of()), null), 401, "unauthorized");
        assertProblem(gateway.withScopes("catalog:read").put(path, Map.of("ids", List.of()), null), 403, "forbidden");
        assertProblem(gateway.withScopes("catalog:read").delete(path + "/" + tool, null), 403, "forbidden");
        assertThat(gateway.withScopes("catalog:read").get(path).status()).isEqualTo(200);
        assertProblem(admin.get("/v1/servers/" + UUID.randomUUID() + "/tools"), 404, "not-found");
        assertProblem(admin.put("/v1/servers/" + UUID.randomUUID() + "/tools", Map.of("ids", List.of()), null), 404,
                "not-found");
    }

    @EngineTest
    void twoToolsWithOneDisplayNameCannotJoinOneServer(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        String shown = unique("shown");
        String server = admin.post("/v1/servers", Collections.SERVERS.body(unique("Clash"))).id();
        String a = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("A")), "displayName", shown))
                .id();
        String b = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("B")), "displayName", shown))
                .id();
        String c = admin.post("/v1/tools", Collections.TOOLS.body(unique("C"))).id();
        String path = "/v1/servers/" + server + "/tools";

        Reply both = admin.put(path, Map.of("ids", List.of(a, b)), null);
        assertProblem(both, 409, "name-conflict");
        assertThat(both.json().get("detail").asString()).contains(shown);
        assertThat(memberIds(admin.get(path))).isEmpty();

        assertThat(admin.put(path, Map.of("ids", List.of(a, c)), null).status()).isEqualTo(200);
        assertProblem(admin.post(path + "/" + b, null), 409, "name-conflict");
        // Renaming a member onto another member's display name is refused too, and changes nothing.
        Reply rename = admin.patch("/v1/tools/" + c, Map.of("displayName", shown), "*");
        assertProblem(rename, 409, "name-conflict");
        JsonNode unchanged = admin.get("/v1/tools/" + c).json();
        assertThat(unchanged.get("displayName").asString()).isNotEqualTo(shown);
        assertThat(memberIds(admin.get(path))).containsExactlyInAnyOrder(a, c);
    }
}
