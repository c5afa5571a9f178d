package dev.switchboard.catalog.rest;

import static dev.switchboard.catalog.rest.RegistryApiTest.assertProblem;
import static dev.switchboard.catalog.rest.RegistryApiTest.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        assertOneMemberPerDisplayName(admin, server, "tools", shown, a, b, c);
    }

    /**
     * {@code a} and {@code b} share the display name {@code shown}, {@code c} has another: the server takes a
     * and c but never a and b together, and c cannot be renamed onto a's name while both are members. Each refused
     * change leaves the members as they were.
     */
    private static void assertOneMemberPerDisplayName(Client admin, String server, String kind, String shown,
            String a, String b, String c) {
        String path = "/v1/servers/" + server + "/" + kind;
        Reply both = admin.put(path, Map.of("ids", List.of(a, b)), null);
        assertProblem(both, 409, "name-conflict");
        assertThat(both.json().get("detail").asString()).contains(shown);
        assertThat(memberIds(admin.get(path))).isEmpty();

        assertThat(admin.put(path, Map.of("ids", List.of(a, c)), null).status()).isEqualTo(200);
        assertProblem(admin.post(path + "/" + b, null), 409, "name-conflict");
        // Renaming a member onto another member's display name is refused too, and changes nothing.
        Reply rename = admin.patch("/v1/" + kind + "/" + c, Map.of("displayName", shown), "*");
        assertProblem(rename, 409, "name-conflict");
        assertThat(admin.get("/v1/" + kind + "/" + c).json().get("displayName").asString()).isNotEqualTo(shown);
        assertThat(memberIds(admin.get(path))).containsExactlyInAnyOrder(a, c);
    }

    @EngineTest
    void twoPromptsWithOneDisplayNameCannotJoinOneServer(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        String shown = unique("shown");
        String server = admin.post("/v1/servers", Collections.SERVERS.body(unique("PromptClash"))).id();
        Reply first = admin.post("/v1/prompts", Collections.with(Collections.PROMPTS.body(unique("A")), "displayName",
                shown));
        assertThat(first.json().get("displayName").asString()).isEqualTo(shown);
        String a = first.id();
        String b = admin.post("/v1/prompts", Collections.with(Collections.PROMPTS.body(unique("B")), "displayName",
                shown)).id();
        String cName = unique("C");
        Reply third = admin.post("/v1/prompts", Collections.PROMPTS.body(cName));
        assertThat(third.json().get("displayName").asString()).as("the name when absent").isEqualTo(cName);
        String c = third.id();
        assertProblem(admin.post("/v1/prompts", Collections.with(Collections.PROMPTS.body(unique("D")),
                "displayName", "no spaces allowed")), 422, "validation-failed");
        assertOneMemberPerDisplayName(admin, server, "prompts", shown, a, b, c);
        assertThat(admin.get("/v1/prompts/" + c).json().get("displayName").asString()).isEqualTo(cName);
        // Outside the server, any display name goes.
        assertThat(admin.patch("/v1/prompts/" + b, Map.of("displayName", cName), "*").status()).isEqualTo(200);
    }

    /**
     * Several upstreams may serve one URI, but a virtual server presents one resource per URI: a membership, or a
     * change of a registry resource's URI, that would give it a second one is refused with the URI named.
     */
    @EngineTest
    void aServerHoldsOneResourcePerUri(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String uri = "docs://shared/" + unique("u");
        UUID first = UUID.fromString(admin.post("/v1/gateways", Collections.GATEWAYS.body(unique("Up1"))).id());
        UUID second = UUID.fromString(admin.post("/v1/gateways", Collections.GATEWAYS.body(unique("Up2"))).id());
        String one = federatedResource(gateway, first, uri);
        String two = federatedResource(gateway, second, uri);
        String hosted = admin.post("/v1/resources", Collections.RESOURCES.body(unique("Hosted"))).id();
        String server = admin.post("/v1/servers", Collections.SERVERS.body(unique("UriClash"))).id();
        String path = "/v1/servers/" + server + "/resources";

        Reply both = admin.put(path, Map.of("ids", List.of(one, two)), null);
        assertProblem(both, 409, "name-conflict");
        assertThat(both.json().get("detail").asString()).contains(uri);
        assertThat(admin.put(path, Map.of("ids", List.of(one, hosted)), null).status()).isEqualTo(200);
        Reply add = admin.post(path + "/" + two, null);
        assertProblem(add, 409, "name-conflict");
        assertThat(add.json().get("detail").asString()).contains(uri);

        // The registry's own resource may take the URI, but not while it sits beside another holder of it.
        Reply moved = admin.patch("/v1/resources/" + hosted, Map.of("uri", uri), "*");
        assertProblem(moved, 409, "name-conflict");
        assertThat(moved.json().get("detail").asString()).contains(uri);
        assertThat(admin.get("/v1/resources/" + hosted).json().get("uri").asString()).isNotEqualTo(uri);
        assertThat(memberIds(admin.get(path))).containsExactlyInAnyOrder(one, hosted);
    }

    /**
     * One request adds every entry of an upstream, or every entry with a tag; a tool whose display name the server
     * already presents is reported as a 409 conflict while the others join.
     */
    @EngineTest
    void oneRequestAddsAnUpstreamOrATagAndReportsConflicts(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        Reply server = admin.post("/v1/servers", Collections.SERVERS.body(unique("Bulk")));
        String members = "/v1/servers/" + server.id() + "/members";
        String shown = unique("shown");
        String present = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("Present")),
                "displayName", shown)).id();
        assertThat(admin.put("/v1/servers/" + server.id() + "/tools", Map.of("ids", List.of(present)), null).status())
                .isEqualTo(200);

        Reply upstream = admin.post("/v1/gateways", Collections.GATEWAYS.body(unique("Bulkup")));
        UUID upstreamId = UUID.fromString(upstream.id());
        String clashing = federated(gateway, upstreamId, unique("clash"), shown);
        String joining = federated(gateway, upstreamId, unique("join"), unique("other"));

        Reply byUpstream = admin.send("POST", members, Map.of("gateway", upstream.json().get("slug").asString()),
                Map.of("If-Match", admin.get("/v1/servers/" + server.id()).etag()));
        assertThat(byUpstream.status()).as(byUpstream.toString()).isEqualTo(200);
        JsonNode answer = byUpstream.json();
        assertThat(answer.at("/added/tools").valueStream().map(t -> t.get("id").asString())).containsExactly(joining);
        assertThat(answer.at("/added/resources").isEmpty()).isTrue();
        assertThat(answer.get("conflicts")).hasSize(1);
        JsonNode conflict = answer.get("conflicts").get(0);
        assertThat(conflict.get("kind").asString()).isEqualTo("tool");
        assertThat(conflict.get("id").asString()).isEqualTo(clashing);
        assertThat(conflict.get("status").asInt()).isEqualTo(409);
        assertThat(conflict.get("reason").asString()).contains(shown);
        assertThat(byUpstream.etag()).isEqualTo("\"" + answer.get("serverVersion").asLong() + "\"");
        assertThat(memberIds(admin.get("/v1/servers/" + server.id() + "/tools")))
                .containsExactlyInAnyOrder(present, joining);

        // By id works as the slug does; what is a member already is left as it is.
        Reply again = admin.post(members, Map.of("gateway", upstream.id()));
        assertThat(again.json().at("/added/tools").isEmpty()).as(again.toString()).isTrue();
        assertThat(again.json().get("conflicts")).hasSize(1);

        String tag = unique("tagged");
        String tool = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("Tt")), "tags",
                List.of(tag))).id();
        String resource = admin.post("/v1/resources", Collections.with(Collections.RESOURCES.body(unique("Tr")),
                "tags", List.of(tag, "team-a"))).id();
        String prompt = admin.post("/v1/prompts", Collections.with(Collections.PROMPTS.body(unique("Tp")), "tags",
                List.of(tag))).id();
        Reply byTag = admin.post(members, Map.of("tag", tag));
        assertThat(byTag.status()).as(byTag.toString()).isEqualTo(200);
        assertThat(byTag.json().at("/added/tools/0/id").asString()).isEqualTo(tool);
        assertThat(byTag.json().at("/added/resources/0/id").asString()).isEqualTo(resource);
        assertThat(byTag.json().at("/added/prompts/0/id").asString()).isEqualTo(prompt);
        assertThat(byTag.json().get("conflicts").isEmpty()).isTrue();
        assertThat(memberIds(admin.get("/v1/servers/" + server.id() + "/prompts"))).containsExactly(prompt);

        assertProblem(admin.post(members, Map.of()), 422, "validation-failed");
        assertProblem(admin.post(members, Map.of("gateway", upstream.id(), "tag", tag)), 422, "validation-failed");
        Reply unknown = admin.post(members, Map.of("gateway", "no-such-upstream"));
        assertProblem(unknown, 422, "validation-failed");
        assertThat(unknown.json().get("field").asString()).isEqualTo("gateway");
        assertProblem(admin.send("POST", members, Map.of("tag", tag), Map.of("If-Match", "\"1\"")), 412,
                "stale-version");
        assertProblem(admin.post("/v1/servers/" + UUID.randomUUID() + "/members", Map.of("tag", tag)), 404,
                "not-found");
        assertProblem(gateway.withScopes("catalog:read").post(members, Map.of("tag", tag)), 403, "forbidden");
    }

    /** A resource discovered from {@code upstream}, stored as discovery stores it. */
    private static String federatedResource(GatewayUnderTest gateway, UUID upstream, String uri) {
        return gateway.bean(ResourceRepository.class).create(new Resource(null, upstream, uri, false, unique("res"),
                null, null, "text/plain", null, null, null, null, true, Set.of(), null, null, null, 0)).id().toString();
    }

    /** A tool discovered from {@code upstream}, stored as discovery stores it. */
    private static String federated(GatewayUnderTest gateway, UUID upstream, String name, String displayName) {
        return gateway.bean(ToolRepository.class).create(new Tool(null, upstream, name, name, displayName,
                IntegrationType.MCP, "from the upstream", "{\"type\":\"object\"}", null, null, null, AuthType.NONE,
                null, true, Set.of(), null, null, null, 0)).id().toString();
    }
}
