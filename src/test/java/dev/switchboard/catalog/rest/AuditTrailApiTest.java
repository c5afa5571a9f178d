package dev.switchboard.catalog.rest;

import static dev.switchboard.catalog.rest.RegistryApiTest.assertProblem;
import static dev.switchboard.catalog.rest.RegistryApiTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditRepository;
import dev.switchboard.audit.AuditRetentionJob;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.UpstreamServers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit trail through the API on every engine: each kind of change is recorded with who, what, and the entry
 * before and after without secrets; {@code GET /v1/audit} filters and pages; old rows are deleted by retention.
 * Invocations, and the rows' survival of shutdown, are in InvocationRecordingTest.
 */
class AuditTrailApiTest {

    private static final Duration WRITTEN = Duration.ofSeconds(30);

    @EngineTest
    void changesToCatalogEntriesAreRecordedWithBeforeAndAfterAndNoSecrets(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String secret = "audit-secret-" + UUID.randomUUID();
        Reply created = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("Audited")), "auth",
                Map.of("type", "bearer", "token", secret)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.id();
        Reply patched = admin.patch("/v1/tools/" + id, Map.of("description", "Changed"), created.etag());
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(admin.post("/v1/tools/" + id + "/disable", null).status()).isEqualTo(200);
        assertThat(admin.post("/v1/tools/" + id + "/enable", null).status()).isEqualTo(200);
        // A refused change is not a change: it leaves no row.
        assertProblem(admin.patch("/v1/tools/" + id, Map.of("description", "Stale"), created.etag()), 412,
                "stale-version");
        assertThat(admin.delete("/v1/tools/" + id, null).status()).isEqualTo(204);

        List<JsonNode> rows = awaitRows(admin, "entityId=" + id, 5);
        assertThat(rows).extracting(r -> r.get("action").asString())
                .containsExactly("delete", "enable", "disable", "update", "create");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("actor").asString()).isEqualTo(GatewayUnderTest.ADMIN);
            assertThat(r.get("entityType").asString()).isEqualTo("tool");
            assertThat(r.get("entityName").asString()).isEqualTo(created.json().get("name").asString());
            assertThat(r.toString()).doesNotContain(secret);
        });
        JsonNode update = rows.get(3);
        assertThat(update.at("/before/description").asString()).isEqualTo("Weather for a city");
        assertThat(update.at("/after/description").asString()).isEqualTo("Changed");
        assertThat(update.at("/after/auth/secretSet").asBoolean()).isTrue();
        assertThat(rows.get(2).at("/after/enabled").asBoolean()).isFalse();
        assertThat(rows.get(0).get("after").isNull()).isTrue();
        assertThat(rows.get(0).at("/before/version").asLong()).isEqualTo(4);
        assertThat(rows.get(4).get("before").isNull()).isTrue();
        assertThat(rows.get(4).at("/after/id").asString()).isEqualTo(id);
    }

    @EngineTest
    void membershipsTokensAndImportsAreRecorded(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String tag = unique("aud").toLowerCase();
        String server = admin.post("/v1/servers", Collections.SERVERS.body(unique("AuditedServer"))).id();
        String a = admin.post("/v1/tools", Collections.TOOLS.body(unique("A"))).id();
        String b = admin.post("/v1/tools", Collections.TOOLS.body(unique("B"))).id();
        String c = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("C")), "tags",
                List.of(tag))).id();
        String path = "/v1/servers/" + server + "/tools";
        assertThat(admin.put(path, Map.of("ids", List.of(b)), null).status()).isEqualTo(200);
        assertThat(admin.post(path + "/" + a, null).status()).isEqualTo(200);
        assertThat(admin.delete(path + "/" + b, null).status()).isEqualTo(204);
        assertThat(admin.post("/v1/servers/" + server + "/members", Map.of("tag", tag)).status()).isEqualTo(200);

        List<JsonNode> rows = awaitRows(admin, "entityId=" + server, 5);
        assertThat(rows).extracting(r -> r.get("action").asString())
                .containsExactly("add_members", "remove_member", "add_member", "set_members", "create");
        assertThat(rows.get(3).at("/before/tools").size()).isZero();
        assertThat(rows.get(3).at("/after/tools/0").asString()).isEqualTo(b);
        assertThat(rows.get(2).at("/after/tools").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder(a,
                b);
        assertThat(rows.get(1).at("/after/tools").valueStream().map(JsonNode::asString)).containsExactly(a);
        assertThat(rows.get(0).get("before").isNull()).isTrue();
        assertThat(rows.get(0).at("/after/added/tools").valueStream().map(t -> t.get("id").asString()))
                .containsExactly(c);

        // Tokens: issued and revoked by a caller of their own, never with the secret.
        String subject = unique("token-owner");
        Client owner = gateway.as(subject, "tokens:manage", "catalog:read");
        // The caller's JWT lives five minutes, and a token may not outlive it.
        Reply issued = owner.post("/v1/tokens", Map.of("name", "audited", "scopes", List.of("catalog:read"),
                "expiresAt", Instant.now().plusSeconds(120).truncatedTo(ChronoUnit.SECONDS).toString()));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        assertThat(owner.delete("/v1/tokens/" + issued.id(), null).status()).isEqualTo(204);
        List<JsonNode> tokenRows = awaitRows(admin, "entityType=token&entityId=" + issued.id(), 2);
        assertThat(tokenRows).extracting(r -> r.get("action").asString()).containsExactly("revoke", "issue");
        assertThat(tokenRows).allSatisfy(r -> {
            assertThat(r.get("actor").asString()).isEqualTo(subject);
            assertThat(r.toString()).doesNotContain(issued.json().get("token").asString());
        });
        assertThat(tokenRows.get(1).at("/after/scopes/0").asString()).isEqualTo("catalog:read");
        assertThat(tokenRows.get(0).at("/before/revokedAt").isNull()).isTrue();
        assertThat(tokenRows.get(0).at("/after/revokedAt").isNull()).isFalse();

        // An import is one row, with what it changed; a dry run changes nothing and leaves none.
        // A document of the export's format with tool b alone, changed: entries it leaves out are kept.
        ObjectNode exported = (ObjectNode) admin.get("/v1/export").json();
        JsonNode changed = null;
        for (JsonNode tool : exported.get("tools")) {
            if (tool.get("id").asString().equals(b)) {
                changed = ((ObjectNode) tool).put("description", "Imported");
            }
        }
        for (String kind : List.of("gateways", "tools", "resources", "prompts", "servers")) {
            if (exported.has(kind)) {
                exported.putArray(kind);
            }
        }
        exported.withArray("tools").add(changed);
        String importer = unique("importer");
        Client admins = gateway.as(importer, "admin", "catalog:read", "catalog:write");
        assertThat(admins.post("/v1/import?dryRun=true", exported).status()).isEqualTo(200);
        assertThat(admins.post("/v1/import", exported).status()).isEqualTo(200);
        List<JsonNode> imports = awaitRows(admin, "actor=" + importer, 1);
        assertThat(imports.getFirst().get("action").asString()).isEqualTo("import");
        assertThat(imports.getFirst().get("entityType").asString()).isEqualTo("catalog");
        assertThat(imports.getFirst().at("/after/changes").valueStream().map(change -> change.get("id").asString()))
                .containsExactly(b);
    }

    @EngineTest
    void discoveriesThatChangeTheCatalogAreRecorded(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        try (UpstreamServers.Http upstream = UpstreamServers.streamable(null)) {
            Reply created = admin.post("/v1/gateways", Map.of("name", unique("audited-upstream"), "url",
                    upstream.url()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.id();
            // Discovering again finds nothing new: no row.
            assertThat(admin.post("/v1/gateways/" + id + "/refresh", null).status()).isEqualTo(200);
            assertThat(admin.post("/v1/gateways/" + id + "/disable", null).status()).isEqualTo(200);
            List<JsonNode> rows = awaitRows(admin, "entityId=" + id, 3);
            assertThat(rows).extracting(r -> r.get("action").asString()).containsExactly("disable", "discover",
                    "create");
            assertThat(rows.get(1).at("/after/status").asString()).isEqualTo("completed");
            assertThat(rows.get(1).at("/after/tools/added").asInt()).isPositive();
            assertThat(rows.get(1).get("actor").asString()).isEqualTo(GatewayUnderTest.ADMIN);
        }
    }

    @EngineTest
    void theTrailIsFilteredPagedAndGuarded(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String actor = unique("pager");
        Client writer = gateway.as(actor, "catalog:read", "catalog:write");
        Instant start = Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Reply created = writer.post("/v1/prompts", Collections.PROMPTS.body(unique("Paged")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            ids.add(created.id());
        }
        assertThat(writer.delete("/v1/prompts/" + ids.getFirst(), null).status()).isEqualTo(204);
        awaitRows(admin, "actor=" + actor, 6);

        // Page by two, newest first, until no cursor is left: every row once, in order.
        List<JsonNode> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = admin.get("/v1/audit?limit=2&actor=" + actor + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("items").forEach(seen::add);
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(6);
        assertThat(new HashSet<>(seen.stream().map(r -> r.get("id").asString()).toList())).hasSize(6);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(Instant.parse(seen.get(i - 1).get("occurredAt").asString()))
                    .isAfterOrEqualTo(Instant.parse(seen.get(i).get("occurredAt").asString()));
        }
        assertThat(seen.getFirst().get("action").asString()).isEqualTo("delete");
        assertThat(seen.stream().map(r -> r.get("entityId").asString()).toList().reversed().subList(0, 5))
                .containsExactlyElementsOf(ids);

        // Filters combine.
        assertThat(rows(admin, "actor=" + actor + "&action=create")).hasSize(5);
        assertThat(rows(admin, "actor=" + actor + "&action=delete&entityType=prompt")).hasSize(1);
        assertThat(rows(admin, "actor=" + actor + "&entityType=tool")).isEmpty();
        assertThat(rows(admin, "actor=" + actor + "&since=" + encode(start))).hasSize(6);
        assertThat(rows(admin, "actor=" + actor + "&until=" + encode(start))).isEmpty();
        assertThat(rows(admin, "actor=" + actor + "&since=" + encode(Instant.now().plusSeconds(60)))).isEmpty();

        // Bad input is a 400 naming the parameter; the trail is for administrators only.
        for (String bad : List.of("limit=0", "limit=501", "since=yesterday", "until=2026-13-01T00:00:00Z",
                "cursor=not-a-cursor", "cursor=" + "x".repeat(40), "actor=" + "a".repeat(300))) {
            Reply reply = admin.get("/v1/audit?" + bad);
            assertProblem(reply, 400, "malformed-request");
            assertThat(reply.json().get("field").asString()).isEqualTo("query." + bad.substring(0, bad.indexOf('=')));
        }
        assertThat(writer.get("/v1/audit").status()).isEqualTo(403);
        assertThat(gateway.anonymous().get("/v1/audit").status()).isEqualTo(401);
    }

    @EngineTest
    void rowsOlderThanTheRetentionAreDeleted(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        AuditRepository repository = gateway.bean(AuditRepository.class);
        String actor = unique("retained");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<AuditEvent> events = new ArrayList<>();
        for (Duration age : List.of(Duration.ofDays(91), Duration.ofDays(200), Duration.ofDays(89),
                Duration.ZERO)) {
            events.add(new AuditEvent(UUID.randomUUID(), now.minus(age), actor, "update", "tool",
                    UUID.randomUUID().toString(), "old", null, null, null, "{\"a\":1}", "{\"a\":2}", null));
        }
        repository.insert(events);
        // Written twice, as after a commit whose outcome was unknown: each row is stored once. (The job may also run
        // on its own schedule meanwhile: what is left after a run is the same either way.)
        repository.insert(events);
        gateway.bean(AuditRetentionJob.class).run();
        assertThat(rows(gateway.admin(), "actor=" + actor)).extracting(r -> Instant.parse(r.get("occurredAt")
                .asString())).containsExactly(now, now.minus(Duration.ofDays(89)));
    }

    private static List<JsonNode> awaitRows(Client admin, String query, int count) {
        return await().atMost(WRITTEN).until(() -> rows(admin, query), r -> r.size() >= count);
    }

    private static List<JsonNode> rows(Client admin, String query) {
        Reply reply = admin.get("/v1/audit?limit=500&" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        reply.json().get("items").forEach(rows::add);
        return rows;
    }

    private static String encode(Instant instant) {
        return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }
}
