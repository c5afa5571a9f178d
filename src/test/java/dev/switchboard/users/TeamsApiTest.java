package dev.switchboard.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * /v1/teams on every engine, for each kind of caller: platform administrators create and delete teams, owners rename
 * theirs and manage members, viewers only see, strangers get 404; a team keeps an owner; members go with their user;
 * every change is in the audit trail.
 */
class TeamsApiTest {

    private static final String PASSWORD = "a-long-enough-password";

    @EngineTest
    void teamsAreManagedByAdministratorsAndOwnersAndSeenByTheirMembers(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String owner = user(admin, "owner-" + run);
        String viewer = user(admin, "viewer-" + run);
        String editor = user(admin, "editor-" + run);
        user(admin, "stranger-" + run);
        Client asOwner = gateway.as("owner-" + run, "catalog:read");
        Client asViewer = gateway.as("viewer-" + run, "catalog:read");
        Client asStranger = gateway.as("stranger-" + run, "catalog:read");

        Reply created = admin.post("/v1/teams", Map.of("name", "Team " + run, "description", "Tests"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String team = created.id();
        assertThat(created.json().get("members")).isEmpty();
        assertProblem(admin.post("/v1/teams", Map.of("name", "Team " + run)), 409, "name-conflict", "name");
        assertProblem(admin.post("/v1/teams", Map.of("name", "#bad")), 422, "validation-failed", "name");
        assertProblem(asOwner.post("/v1/teams", Map.of("name", "Mine " + run)), 403, "forbidden", null);

        assertThat(admin.put("/v1/teams/" + team + "/members/" + owner, Map.of("role", "owner"), null).status())
                .isEqualTo(200);
        assertThat(admin.put("/v1/teams/" + team + "/members/" + viewer, Map.of("role", "viewer"), null).status())
                .isEqualTo(200);
        assertProblem(admin.put("/v1/teams/" + team + "/members/" + viewer, Map.of("role", "boss"), null), 422,
                "validation-failed", "role");
        assertProblem(admin.put("/v1/teams/" + team + "/members/" + UUID.randomUUID(), Map.of("role", "viewer"),
                null), 404, "not-found", null);

        // The owner manages the team; the viewer sees it; a stranger does not know it exists.
        Reply added = asOwner.put("/v1/teams/" + team + "/members/" + editor, Map.of("role", "editor"), null);
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(roles(added.json())).containsEntry("editor-" + run, "editor").containsEntry("owner-" + run, "owner")
                .containsEntry("viewer-" + run, "viewer");
        assertThat(asOwner.patch("/v1/teams/" + team, Map.of("description", "Renamed"), null).status())
                .isEqualTo(200);
        assertThat(asViewer.get("/v1/teams/" + team).json().get("description").asString()).isEqualTo("Renamed");
        assertThat(ids(asViewer)).containsExactly(team);
        assertProblem(asViewer.patch("/v1/teams/" + team, Map.of("description", "No"), null), 403, "forbidden", null);
        assertProblem(asViewer.put("/v1/teams/" + team + "/members/" + viewer, Map.of("role", "owner"), null), 403,
                "forbidden", null);
        assertProblem(asOwner.delete("/v1/teams/" + team, null), 403, "forbidden", null);
        assertProblem(asStranger.get("/v1/teams/" + team), 404, "not-found", null);
        assertProblem(asStranger.patch("/v1/teams/" + team, Map.of("description", "No"), null), 404, "not-found",
                null);
        assertThat(ids(asStranger)).doesNotContain(team);
        assertThat(ids(admin)).contains(team);

        // A team that has an owner keeps one.
        assertProblem(asOwner.put("/v1/teams/" + team + "/members/" + owner, Map.of("role", "viewer"), null), 409,
                "conflict", null);
        assertProblem(asOwner.delete("/v1/teams/" + team + "/members/" + owner, null), 409, "conflict", null);
        assertThat(asOwner.delete("/v1/teams/" + team + "/members/" + viewer, null).status()).isEqualTo(204);
        assertProblem(asViewer.get("/v1/teams/" + team), 404, "not-found", null);

        // A deleted user leaves their teams.
        assertThat(admin.delete("/v1/users/" + editor, null).status()).isEqualTo(204);
        assertThat(roles(admin.get("/v1/teams/" + team).json())).containsOnlyKeys("owner-" + run);

        assertThat(admin.delete("/v1/teams/" + team, null).status()).isEqualTo(204);
        assertProblem(admin.get("/v1/teams/" + team), 404, "not-found", null);

        List<String> actions = await().atMost(Duration.ofSeconds(30)).until(() -> actions(admin, team),
                a -> a.size() >= 7);
        assertThat(actions).containsExactly("delete", "remove_member", "update", "add_member", "add_member",
                "add_member", "create");
    }

    private static String user(Client admin, String name) {
        Reply created = admin.post("/v1/users", Map.of("username", name, "password", PASSWORD));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.id();
    }

    private static Map<String, String> roles(JsonNode team) {
        Map<String, String> roles = new java.util.TreeMap<>();
        team.get("members").forEach(m -> roles.put(m.get("username").asString(), m.get("role").asString()));
        return roles;
    }

    private static List<String> ids(Client client) {
        return ids(client, 500);
    }

    /** The ids of the teams the client sees, page by page, {@code limit} to a page. */
    private static List<String> ids(Client client, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = client.get("/v1/teams?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.json().get("items").size()).isLessThanOrEqualTo(limit);
            page.json().get("items").forEach(t -> ids.add(t.get("id").asString()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asString();
        } while (cursor != null);
        return ids;
    }

    @EngineTest
    void teamsComePagedByNameEachWithItsMembersAndAMemberPagesThroughTheirOwn(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String member = user(admin, "pager-" + run);
        List<String> mine = new ArrayList<>();
        for (String suffix : List.of("c", "a", "b", "d")) {
            Reply team = admin.post("/v1/teams", Map.of("name", "paged-" + run + "-" + suffix));
            assertThat(team.status()).as(team.toString()).isEqualTo(201);
            if (!suffix.equals("d")) {
                assertThat(admin.put("/v1/teams/" + team.id() + "/members/" + member, Map.of("role", "viewer"), null)
                        .status()).isEqualTo(200);
                mine.add(team.id());
            }
        }
        List<String> whole = ids(admin, 500);
        assertThat(whole).doesNotHaveDuplicates().containsAll(mine);
        assertThat(ids(admin, 1)).isEqualTo(whole);
        assertThat(ids(admin, 3)).isEqualTo(whole);
        // A member's pages hold their teams only, by name, each with its members.
        Client asMember = gateway.as("pager-" + run, "catalog:read");
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = asMember.get("/v1/teams?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(t -> {
                names.add(t.get("name").asString());
                assertThat(roles(t)).containsEntry("pager-" + run, "viewer");
            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(names).containsExactly("paged-" + run + "-a", "paged-" + run + "-b", "paged-" + run + "-c");

        assertProblem(admin.get("/v1/teams?cursor=%21%21"), 400, "malformed-request", "query.cursor");
        assertProblem(admin.get("/v1/teams?limit=0"), 400, "malformed-request", "query.limit");
    }

    private static List<String> actions(Client admin, String team) {
        List<String> actions = new ArrayList<>();
        admin.get("/v1/audit?entityType=team&entityId=" + team).json().get("items")
                .forEach(r -> actions.add(r.get("action").asString()));
        return actions;
    }

    private static void assertProblem(Reply reply, int status, String type, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.problemType()).as(reply.toString()).isEqualTo(type);
        if (field != null) {
            assertThat(reply.json().get("field").asString()).as(reply.toString()).isEqualTo(field);
        }
    }
}
