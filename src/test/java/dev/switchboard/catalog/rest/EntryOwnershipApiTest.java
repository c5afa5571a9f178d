package dev.switchboard.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.UpstreamServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every catalog entry belongs to a team, on every engine: a user who is no platform administrator sees, in lists
 * and by id, only the entries of their teams (and the virtual servers they may use), and 404 for the rest; an owner
 * left out of a write is kept, an unknown one is refused; what discovery finds on an upstream belongs to the
 * upstream's team and moves with it.
 */
class EntryOwnershipApiTest {

    private static final String PASSWORD = "a-long-enough-password";
    private static final String DEFAULT_TEAM = "00000000-0000-0000-0000-000000000001";

    @EngineTest
    void aMemberSeesOnlyTheirTeamsEntries(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String red = create(admin, "/v1/teams", Map.of("name", "red-" + run));
        String blue = create(admin, "/v1/teams", Map.of("name", "blue-" + run));
        String alice = create(admin, "/v1/users", Map.of("username", "alice-" + run, "password", PASSWORD));
        create(admin, "/v1/users", Map.of("username", "bob-" + run, "password", PASSWORD));
        assertThat(admin.put("/v1/teams/" + red + "/members/" + alice, Map.of("role", "viewer"), null).status())
                .isEqualTo(200);
        Client asAlice = gateway.as("alice-" + run, "catalog:read");
        Client asBob = gateway.as("bob-" + run, "catalog:read");

        for (Collections.Collection collection : List.of(Collections.GATEWAYS, Collections.TOOLS,
                Collections.RESOURCES, Collections.PROMPTS)) {
            String redEntry = create(admin, collection.path(),
                    Collections.with(collection.body("own-" + run + "-red"), "teamId", red));
            String blueEntry = create(admin, collection.path(),
                    Collections.with(collection.body("own-" + run + "-blue"), "teamId", blue));
            String defaultEntry = create(admin, collection.path(), collection.body("own-" + run + "-default"));
            assertThat(admin.get(collection.path() + "/" + defaultEntry).json().get("teamId").asString())
                    .isEqualTo(DEFAULT_TEAM);
            assertThat(admin.get(collection.path() + "/" + redEntry).json().get("teamId").asString()).isEqualTo(red);

            String list = collection.path() + "?q=own-" + run;
            assertThat(ids(admin.get(list))).as(collection + " for the administrator")
                    .containsExactlyInAnyOrder(redEntry, blueEntry, defaultEntry);
            assertThat(ids(asAlice.get(list))).as(collection + " for a member of red").containsExactly(redEntry);
            assertThat(ids(asBob.get(list))).as(collection + " for a member of no team").isEmpty();

            assertThat(asAlice.get(collection.path() + "/" + redEntry).status()).isEqualTo(200);
            for (String unseen : List.of(blueEntry, defaultEntry)) {
                Reply hidden = asAlice.get(collection.path() + "/" + unseen);
                assertThat(hidden.status()).as(collection + ": " + hidden).isEqualTo(404);
                assertThat(hidden.problemType()).isEqualTo("not-found");
            }
            assertThat(asBob.get(collection.path() + "/" + redEntry).status()).isEqualTo(404);
        }

        // Virtual servers: those a member may use, which includes other teams' public ones.
        String privateBlue = create(admin, "/v1/servers", Map.of("name", "own-" + run + "-private", "teamId", blue,
                "visibility", "private"));
        String publicBlue = create(admin, "/v1/servers", Map.of("name", "own-" + run + "-public", "teamId", blue,
                "visibility", "public"));
        String sharedBlue = create(admin, "/v1/servers", Map.of("name", "own-" + run + "-shared", "teamId", blue,
                "visibility", "shared", "sharedWith", List.of(red)));
        assertThat(ids(asAlice.get("/v1/servers?q=own-" + run))).containsExactlyInAnyOrder(publicBlue, sharedBlue);
        assertThat(ids(asBob.get("/v1/servers?q=own-" + run))).containsExactly(publicBlue);
        assertThat(asAlice.get("/v1/servers/" + privateBlue).status()).isEqualTo(404);
        assertThat(asAlice.get("/v1/servers/" + privateBlue + "/tools").status()).isEqualTo(404);
        assertThat(asAlice.get("/v1/servers/" + sharedBlue + "/tools").status()).isEqualTo(200);

        // Tags count only the entries the caller sees.
        String redTag = "red-" + run;
        create(admin, "/v1/tools", Collections.with(Collections.with(Collections.TOOLS.body("tagged-" + run + "-red"),
                "teamId", red), "tags", List.of(redTag, "both-" + run)));
        create(admin, "/v1/prompts", Collections.with(Collections.with(
                Collections.PROMPTS.body("tagged-" + run + "-blue"), "teamId", blue), "tags", List.of("both-" + run)));
        assertThat(tags(admin.get("/v1/tags"), run)).containsEntry(redTag, 1).containsEntry("both-" + run, 2);
        assertThat(tags(asAlice.get("/v1/tags"), run)).containsOnly(Map.entry(redTag, 1), Map.entry("both-" + run, 1));
        assertThat(tags(asBob.get("/v1/tags"), run)).isEmpty();

        // A member who leaves the team no longer sees its entries.
        assertThat(admin.delete("/v1/teams/" + red + "/members/" + alice, null).status()).isEqualTo(204);
        assertThat(ids(asAlice.get("/v1/tools?q=own-" + run))).isEmpty();
    }

    @EngineTest
    void editorsChangeTheirTeamsEntriesAndNobodyElses(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String red = create(admin, "/v1/teams", Map.of("name", "red-" + run));
        String blue = create(admin, "/v1/teams", Map.of("name", "blue-" + run));
        String erin = create(admin, "/v1/users", Map.of("username", "erin-" + run, "password", PASSWORD));
        String vic = create(admin, "/v1/users", Map.of("username", "vic-" + run, "password", PASSWORD));
        assertThat(admin.put("/v1/teams/" + red + "/members/" + erin, Map.of("role", "editor"), null).status())
                .isEqualTo(200);
        assertThat(admin.put("/v1/teams/" + blue + "/members/" + erin, Map.of("role", "viewer"), null).status())
                .isEqualTo(200);
        assertThat(admin.put("/v1/teams/" + red + "/members/" + vic, Map.of("role", "viewer"), null).status())
                .isEqualTo(200);
        Client asErin = gateway.as("erin-" + run, "catalog:read", "catalog:write");
        Client asVic = gateway.as("vic-" + run, "catalog:read", "catalog:write");

        for (Collections.Collection collection : List.of(Collections.GATEWAYS, Collections.TOOLS,
                Collections.RESOURCES, Collections.PROMPTS, Collections.SERVERS)) {
            // An editor of one team creates in it without naming it, and changes and deletes what it owns.
            Reply made = asErin.post(collection.path(), collection.body("made-" + run));
            assertThat(made.status()).as(collection + ": " + made).isEqualTo(201);
            assertThat(made.json().get("teamId").asString()).isEqualTo(red);
            Reply disabled = asErin.post(collection.path() + "/" + made.id() + "/disable", null);
            assertThat(disabled.status()).as(collection + ": " + disabled).isEqualTo(200);

            // Not into a team they only view, nor moved there.
            Reply intoBlue = asErin.post(collection.path(),
                    Collections.with(collection.body("blue-" + run), "teamId", blue));
            assertThat(intoBlue.status()).as(collection + ": " + intoBlue).isEqualTo(403);
            assertThat(intoBlue.problemType()).isEqualTo("forbidden");
            Reply moved = asErin.patch(collection.path() + "/" + made.id(), Map.of("teamId", blue),
                    disabled.etag());
            assertThat(moved.status()).as(collection + ": " + moved).isEqualTo(403);

            // A viewer reads it and changes nothing; a blue entry is read-only to the editor of red.
            assertThat(asVic.get(collection.path() + "/" + made.id()).status()).isEqualTo(200);
            Reply refused = asVic.patch(collection.path() + "/" + made.id(), Map.of("tags", List.of("x")),
                    disabled.etag());
            assertThat(refused.status()).as(collection + ": " + refused).isEqualTo(403);
            assertThat(asVic.delete(collection.path() + "/" + made.id(), null).status()).isEqualTo(403);
            assertThat(asVic.post(collection.path(), collection.body("vic-" + run)).status()).isEqualTo(403);
            String blueEntry = create(admin, collection.path(),
                    Collections.with(collection.body("owned-by-blue-" + run), "teamId", blue));
            assertThat(asErin.get(collection.path() + "/" + blueEntry).status()).isEqualTo(200);
            assertThat(asErin.delete(collection.path() + "/" + blueEntry, null).status()).isEqualTo(403);
            assertThat(admin.get(collection.path() + "/" + blueEntry).status()).isEqualTo(200);

            assertThat(asErin.delete(collection.path() + "/" + made.id(), null).status()).isEqualTo(204);
        }

        // A server composed by an editor takes only what they see.
        String server = create(asErin, "/v1/servers", Map.of("name", "composed-" + run));
        String hidden = create(admin, "/v1/tools", Collections.with(Collections.TOOLS.body("hidden-" + run),
                "teamId", create(admin, "/v1/teams", Map.of("name", "green-" + run))));
        Reply added = asErin.post("/v1/servers/" + server + "/tools/" + hidden, null);
        assertThat(added.status()).as(added.toString()).isEqualTo(422);
        assertThat(added.json().get("field").asString()).isEqualTo("memberId");
    }

    @EngineTest
    void ownersAreCheckedWhenWrittenAndKeptWhenLeftOut(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String green = create(admin, "/v1/teams", Map.of("name", "green-" + run));
        String yellow = create(admin, "/v1/teams", Map.of("name", "yellow-" + run));

        for (Collections.Collection collection : List.of(Collections.GATEWAYS, Collections.TOOLS,
                Collections.RESOURCES, Collections.PROMPTS)) {
            Reply unknown = admin.post(collection.path(), Collections.with(collection.body("unknown-" + run),
                    "teamId", UUID.randomUUID().toString()));
            assertThat(unknown.status()).as(collection + ": " + unknown).isEqualTo(422);
            assertThat(unknown.json().get("field").asString()).isEqualTo("teamId");
            Reply notAnId = admin.post(collection.path(), Collections.with(collection.body("bad-" + run),
                    "teamId", "green"));
            assertThat(notAnId.status()).as(collection + ": " + notAnId).isEqualTo(422);
            assertThat(admin.get(collection.path() + "?q=unknown-" + run).json().get("items")).isEmpty();

            String id = create(admin, collection.path(),
                    Collections.with(collection.body("kept-" + run), "teamId", green));
            Reply replaced = admin.put(collection.path() + "/" + id, collection.body("kept-" + run),
                    admin.get(collection.path() + "/" + id).etag());
            assertThat(replaced.status()).as(collection + ": " + replaced).isEqualTo(200);
            assertThat(replaced.json().get("teamId").asString()).isEqualTo(green);
            Reply moved = admin.patch(collection.path() + "/" + id, Map.of("teamId", yellow), replaced.etag());
            assertThat(moved.status()).as(collection + ": " + moved).isEqualTo(200);
            assertThat(moved.json().get("teamId").asString()).isEqualTo(yellow);
        }

        // Export carries each entry's team, and an import keeps it; a team this registry lacks is a conflict.
        String exportedTool = create(admin, "/v1/tools", Collections.with(Collections.TOOLS.body("exported-" + run),
                "teamId", green));
        JsonNode document = admin.get("/v1/export?secrets=encrypted").json();
        Reply again = admin.post("/v1/import", document);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(admin.get("/v1/tools/" + exportedTool).json().get("teamId").asString()).isEqualTo(green);
        JsonNode tool = document.get("tools").valueStream().filter(t -> t.get("id").asString().equals(exportedTool))
                .findFirst().orElseThrow();
        assertThat(tool.get("teamId").asString()).isEqualTo(green);
        ((tools.jackson.databind.node.ObjectNode) tool).put("teamId", UUID.randomUUID().toString())
                .put("description", "moved by the import");
        Reply imported = admin.post("/v1/import", document);
        assertThat(imported.status()).as(imported.toString()).isEqualTo(409);
        assertThat(imported.json().get("conflicts").valueStream()
                .filter(c -> c.get("id").asString().equals(exportedTool)).map(c -> c.get("reason").asString()))
                .singleElement().asString().contains("is not in this registry");
        assertThat(admin.get("/v1/tools/" + exportedTool).json().get("teamId").asString()).isEqualTo(green);
        assertThat(admin.delete("/v1/tools/" + exportedTool, null).status()).isEqualTo(204);

        // A team that owns entries stays until they go.
        Reply refused = admin.delete("/v1/teams/" + yellow, null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("owns catalog entries");
        assertThat(admin.delete("/v1/teams/" + green, null).status()).isEqualTo(204);
    }

    @EngineTest
    void membersExportTheirTeamsEntriesAndImportUnderTheirRights(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String red = create(admin, "/v1/teams", Map.of("name", "red-" + run));
        String blue = create(admin, "/v1/teams", Map.of("name", "blue-" + run));
        String green = create(admin, "/v1/teams", Map.of("name", "green-" + run));
        String erin = create(admin, "/v1/users", Map.of("username", "erin-" + run, "password", PASSWORD));
        create(admin, "/v1/users", Map.of("username", "bob-" + run, "password", PASSWORD));
        assertThat(admin.put("/v1/teams/" + red + "/members/" + erin, Map.of("role", "editor"), null).status())
                .isEqualTo(200);
        assertThat(admin.put("/v1/teams/" + blue + "/members/" + erin, Map.of("role", "viewer"), null).status())
                .isEqualTo(200);
        Client asErin = gateway.as("erin-" + run, "catalog:read", "catalog:write");
        Client asBob = gateway.as("bob-" + run, "catalog:read", "catalog:write");
        String redTool = create(admin, "/v1/tools", Collections.with(Collections.TOOLS.body("red-" + run),
                "teamId", red));
        String blueTool = create(admin, "/v1/tools", Collections.with(Collections.TOOLS.body("blue-" + run),
                "teamId", blue));
        String greenTool = create(admin, "/v1/tools", Collections.with(Collections.TOOLS.body("green-" + run),
                "teamId", green));
        String redServer = create(admin, "/v1/servers", Map.of("name", "red-" + run, "teamId", red,
                "visibility", "private"));
        assertThat(admin.post("/v1/servers/" + redServer + "/tools/" + redTool, null).status()).isEqualTo(200);
        create(admin, "/v1/servers", Map.of("name", "green-" + run, "teamId", green, "visibility", "public"));

        // A member's export holds their teams' entries, whatever their role, and no stored credential.
        JsonNode exported = asErin.get("/v1/export").json();
        assertThat(ids(exported, "tools")).containsExactlyInAnyOrder(redTool, blueTool);
        assertThat(exported.get("servers").valueStream().map(e -> e.get("server").get("id").asString()))
                .containsExactly(redServer);
        assertThat(ids(exported, "gateways")).isEmpty();
        Reply withSecrets = asErin.get("/v1/export?secrets=encrypted");
        assertThat(withSecrets.status()).as(withSecrets.toString()).isEqualTo(403);
        assertThat(withSecrets.problemType()).isEqualTo("forbidden");
        assertThat(ids(asBob.get("/v1/export").json(), "tools")).isEmpty();

        // Imported back as it is, it changes nothing and is allowed.
        Reply same = asErin.post("/v1/import", exported);
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertThat(same.json().get("unchanged").asInt()).isEqualTo(3);

        // A change to a team they only view is refused, and with it the whole document.
        JsonNode changed = exported.deepCopy();
        entry(changed, "tools", redTool).put("description", "changed by erin");
        entry(changed, "tools", blueTool).put("description", "changed by erin");
        Reply refused = asErin.post("/v1/import", changed);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.problemType()).isEqualTo("forbidden");
        assertThat(ids(refused.json(), "refused")).containsExactly(blueTool);
        assertThat(admin.get("/v1/tools/" + redTool).json().path("description").asString(""))
                .isNotEqualTo("changed by erin");

        // So is an entry created in, or moved to, a team they do not edit, and one of a team they are no member of.
        JsonNode intoGreen = exported.deepCopy();
        ((ArrayNode) intoGreen.get("tools")).add(entry(exported.deepCopy(), "tools", redTool)
                .put("id", UUID.randomUUID().toString()).put("name", "new-green-" + run).put("teamId", green));
        entry(intoGreen, "tools", redTool).put("teamId", blue);
        ((ArrayNode) intoGreen.get("tools")).add(entry(admin.get("/v1/export").json(), "tools", greenTool));
        Reply notTheirs = asErin.post("/v1/import?dryRun=true", intoGreen);
        assertThat(notTheirs.status()).as(notTheirs.toString()).isEqualTo(403);
        assertThat(ids(notTheirs.json(), "refused")).hasSize(3).contains(redTool, greenTool);

        // A server of theirs takes only entries they see.
        JsonNode composed = exported.deepCopy();
        composed.get("servers").valueStream().filter(e -> e.get("server").get("id").asString().equals(redServer))
                .map(e -> (ArrayNode) e.get("tools")).findFirst().orElseThrow().add(greenTool);
        Reply unseen = asErin.post("/v1/import", composed);
        assertThat(unseen.status()).as(unseen.toString()).isEqualTo(403);
        assertThat(ids(unseen.json(), "refused")).containsExactly(redServer);
        assertThat(ids(admin.get("/v1/servers/" + redServer + "/tools").json(), "items")).containsExactly(redTool);

        // What they edit, they import: a change and a new entry in their team.
        JsonNode theirs = exported.deepCopy();
        entry(theirs, "tools", redTool).put("description", "changed by erin");
        String newTool = UUID.randomUUID().toString();
        ((ArrayNode) theirs.get("tools")).add(entry(exported.deepCopy(), "tools", redTool).put("id", newTool)
                .put("name", "new-red-" + run));
        Reply applied = asErin.post("/v1/import", theirs);
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(applied.json().get("applied").asBoolean()).isTrue();
        assertThat(admin.get("/v1/tools/" + redTool).json().get("description").asString())
                .isEqualTo("changed by erin");
        assertThat(admin.get("/v1/tools/" + newTool).json().get("teamId").asString()).isEqualTo(red);
        assertThat(asBob.post("/v1/import", theirs).status()).isEqualTo(403);
    }

    @EngineTest
    void discoveredEntriesBelongToTheirUpstreamsTeamAndMoveWithIt(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String red = create(admin, "/v1/teams", Map.of("name", "red-" + run));
        String blue = create(admin, "/v1/teams", Map.of("name", "blue-" + run));
        String alice = create(admin, "/v1/users", Map.of("username", "alice-" + run, "password", PASSWORD));
        assertThat(admin.put("/v1/teams/" + red + "/members/" + alice, Map.of("role", "viewer"), null).status())
                .isEqualTo(200);
        Client asAlice = gateway.as("alice-" + run, "catalog:read");

        try (UpstreamServers.Http upstream = UpstreamServers.streamable(null)) {
            Reply created = admin.post("/v1/gateways", Map.of("name", "found-" + run, "slug", "found-" + run,
                    "url", upstream.url(), "teamId", red));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String upstreamId = created.id();
            List<JsonNode> tools = items(admin.get("/v1/tools?q=found-" + run + "."));
            assertThat(tools).as("discovered tools").isNotEmpty()
                    .allSatisfy(tool -> assertThat(tool.get("teamId").asString()).isEqualTo(red));
            assertThat(ids(asAlice.get("/v1/tools?q=found-" + run + "."))).hasSize(tools.size());

            // A federated tool's team is its upstream's: it cannot be moved alone.
            String toolId = tools.getFirst().get("id").asString();
            Reply alone = admin.patch("/v1/tools/" + toolId, Map.of("teamId", blue),
                    admin.get("/v1/tools/" + toolId).etag());
            assertThat(alone.status()).as(alone.toString()).isEqualTo(409);
            assertThat(alone.problemType()).isEqualTo("read-only");
            assertThat(alone.json().get("field").asString()).isEqualTo("teamId");

            // Moving the upstream moves what was found on it at once, and a refresh keeps it there.
            Reply moved = admin.patch("/v1/gateways/" + upstreamId, Map.of("teamId", blue),
                    admin.get("/v1/gateways/" + upstreamId).etag());
            assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
            assertThat(items(admin.get("/v1/tools?q=found-" + run + ".")))
                    .allSatisfy(tool -> assertThat(tool.get("teamId").asString()).isEqualTo(blue));
            assertThat(admin.post("/v1/gateways/" + upstreamId + "/refresh", null).status()).isEqualTo(200);
            assertThat(items(admin.get("/v1/tools?q=found-" + run + ".")))
                    .allSatisfy(tool -> assertThat(tool.get("teamId").asString()).isEqualTo(blue));
            assertThat(ids(asAlice.get("/v1/tools?q=found-" + run + "."))).isEmpty();
            assertThat(admin.delete("/v1/gateways/" + upstreamId, null).status()).isEqualTo(204);
        }
    }

    private static String create(Client admin, String path, Map<String, Object> body) {
        Reply created = admin.post(path, body);
        assertThat(created.status()).as(path + ": " + created).isEqualTo(201);
        return created.id();
    }

    /** The entry of {@code kind} with this id in a catalog document, to change in place. */
    private static ObjectNode entry(JsonNode document, String kind, String id) {
        return (ObjectNode) document.get(kind).valueStream().filter(e -> e.get("id").asString().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + id + " in " + document));
    }

    /** The ids of the objects in the array {@code field} of {@code node} (a document, a report, a list). */
    private static List<String> ids(JsonNode node, String field) {
        return node.get(field).valueStream().map(e -> e.get("id").asString()).toList();
    }

    /** The tags of this run in a /v1/tags answer, with their counts. */
    private static Map<String, Integer> tags(Reply answer, String run) {
        Map<String, Integer> tags = new java.util.TreeMap<>();
        items(answer).stream().filter(t -> t.get("name").asString().contains(run))
                .forEach(t -> tags.put(t.get("name").asString(), t.get("entries").asInt()));
        return tags;
    }

    private static List<JsonNode> items(Reply list) {
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        list.json().get("items").forEach(items::add);
        return items;
    }

    private static List<String> ids(Reply list) {
        return items(list).stream().map(item -> item.get("id").asString()).toList();
    }
}
