package dev.switchboard.security;

import dev.switchboard.testing.TestJwts;
import static dev.switchboard.testing.TestGateway.basic;
import static dev.switchboard.testing.TestGateway.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Engine;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.AfterAll;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** API tokens through the HTTP API on every engine: issued, used, listed, revoked, expired and refused. */
class ApiTokenTest {

    private static final String SECRET = TestJwts.newSecret();
    private static final String ADMIN = basic("admin", "api-token-test-admin-password");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<Engine, TestGateway> gateways = new EnumMap<>(Engine.class);

    /** One gateway per engine for the whole class: starting one costs seconds. */
    private static synchronized TestGateway gateway(TestEngine engine) {
        return gateways.computeIfAbsent(engine.engine(), e -> TestGateway.start(Map.of(
                "DATABASE_URL", engine.newDatabaseUrl(),
                "ADMIN_PASSWORD", "api-token-test-admin-password",
                "JWT_SECRET", SECRET,
                // This class fails logins on purpose; the limit has its own test.
                "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "1000")));
    }

    @AfterAll
    static synchronized void stop() {
        gateways.values().forEach(TestGateway::close);
        gateways.clear();
    }

    @EngineTest
    void anIssuedTokenAuthenticatesIsListedWithoutItsSecretAndStopsWorkingOnceRevoked(TestEngine engine)
            throws Exception {
        TestGateway gateway = gateway(engine);
        String name = unique("deploy");
        HttpResponse<String> issued = gateway.send("POST", "/v1/tokens", """
                {"name": "%s", "scopes": ["catalog:read", "tokens:manage"], "expiresInDays": 30}""".formatted(name),
                "Authorization", ADMIN);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(issued.body());
        String id = body.get("id").stringValue();
        String secret = body.get("token").stringValue();
        assertThat(secret).startsWith("sbt_").hasSize(4 + 43);
        assertThat(issued.headers().firstValue("Location")).hasValue("/v1/tokens/" + id);
        assertThat(body.get("name").stringValue()).isEqualTo(name);
        assertThat(body.get("subject").stringValue()).isEqualTo("admin");
        assertThat(body.get("scopes").toString()).isEqualTo("[\"catalog:read\",\"tokens:manage\"]");
        Instant createdAt = Instant.parse(body.get("createdAt").stringValue());
        assertThat(Instant.parse(body.get("expiresAt").stringValue()))
                .isCloseTo(createdAt.plus(30, ChronoUnit.DAYS), org.assertj.core.api.Assertions.within(5, ChronoUnit.SECONDS));

        HttpResponse<String> listed = gateway.get("/v1/tokens", "Authorization", bearer(secret));
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).contains("\"name\":\"" + name + "\"").doesNotContain(secret)
                .doesNotContain(secret.substring(4)).doesNotContain("\"token\"");

        JsonNode shown = JSON.readTree(gateway.get("/v1/tokens/" + id, "Authorization", ADMIN).body());
        assertThat(shown.has("token")).isFalse();
        assertThat(shown.get("lastUsedAt").isNull()).as("the use was recorded").isFalse();
        assertThat(shown.get("revokedAt").isNull()).isTrue();

        assertThat(gateway.send("DELETE", "/v1/tokens/" + id, null, "Authorization", ADMIN).statusCode())
                .isEqualTo(204);
        HttpResponse<String> refused = gateway.get("/v1/tokens", "Authorization", bearer(secret));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("revoked");
        assertThat(JSON.readTree(gateway.get("/v1/tokens/" + id, "Authorization", ADMIN).body())
                .get("revokedAt").isNull()).isFalse();
        // Revoking again changes nothing and is not an error.
        assertThat(gateway.send("DELETE", "/v1/tokens/" + id, null, "Authorization", ADMIN).statusCode())
                .isEqualTo(204);
    }

    @EngineTest
    void theDatabaseHoldsOnlyTheHashOfTheSecret(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        JsonNode body = issue(gateway, ADMIN, unique("hash"), "[\"catalog:read\"]");
        String secret = body.get("token").stringValue();
        Record row = row(gateway, UUID.fromString(body.get("id").stringValue()));
        assertThat(row).isNotNull();
        assertThat(String.valueOf(row.get("token_hash"))).isEqualTo(ApiTokenService.sha256(secret)).hasSize(64);
        for (Object value : row.intoArray()) {
            assertThat(String.valueOf(value)).doesNotContain(secret.substring(4));
        }
    }

    @EngineTest
    void anExpiredTokenIsRefused(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        JsonNode body = issue(gateway, ADMIN, unique("short-lived"), "[\"tokens:manage\"]");
        String secret = body.get("token").stringValue();
        // Expired in the database before its first use: a token that passed is remembered for a minute, as a JWT
        // is, and its expiry is then checked against the clock only.
        Transactions transactions = gateway.bean(Transactions.class);
        Columns columns = new Columns(transactions.dialect());
        Table<Record> table = Columns.table("api_token");
        transactions.write(dsl -> dsl.update(table)
                .set(columns.timestamp(table, "expires_at"), Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MICROS))
                .where(columns.uuid(table, "id").eq(UUID.fromString(body.get("id").stringValue()))).execute());

        HttpResponse<String> refused = gateway.get("/v1/tokens", "Authorization", bearer(secret));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("expired");
        assertThat(gateway.get("/v1/tokens", "Authorization", bearer("sbt_" + "A".repeat(43))).statusCode())
                .isEqualTo(401);
    }

    @EngineTest
    void badRequestsAreRefusedFieldByFieldAndADuplicateNameConflicts(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        String name = unique("dup");
        issue(gateway, ADMIN, name, "[\"catalog:read\"]");
        HttpResponse<String> duplicate = post(gateway, ADMIN,
                "{\"name\":\"" + name + "\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":1}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).contains("\"type\":\"https://switchboard.dev/problems/name-conflict\"")
                .contains("\"field\":\"name\"");
        // Names are unique per subject: another subject may use the same one.
        String alice = longLived("alice", "catalog:read tokens:manage");
        assertThat(post(gateway, alice, "{\"name\":\"" + name + "\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":1}")
                .statusCode()).isEqualTo(201);
        // Case matters on every engine, as it does for every name in the registry.
        assertThat(post(gateway, ADMIN, "{\"name\":\"" + name.toUpperCase() + "\",\"scopes\":[\"catalog:read\"],"
                + "\"expiresInDays\":1}").statusCode()).isEqualTo(201);

        String ok = "\"scopes\":[\"catalog:read\"],\"expiresInDays\":1";
        Map<String, String> invalid = Map.ofEntries(
                Map.entry("{\"name\":\"a\"," + ok + ",\"admin\":true}", "admin"),
                Map.entry("{\"name\":\"has space\"," + ok + "}", "name"),
                Map.entry("{\"name\":\"\"," + ok + "}", "name"),
                Map.entry("{\"name\":\"" + "n".repeat(129) + "\"," + ok + "}", "name"),
                Map.entry("{\"name\":\"caf\u00e9\"," + ok + "}", "name"),
                Map.entry("{\"name\":42," + ok + "}", "name"),
                Map.entry("{" + ok + "}", "name"),
                Map.entry("{\"name\":\"a\",\"scopes\":[],\"expiresInDays\":1}", "scopes"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"root\"],\"expiresInDays\":1}", "scopes"),
                Map.entry("{\"name\":\"a\",\"scopes\":\"catalog:read\",\"expiresInDays\":1}", "scopes"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"]}", "expiresInDays"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":366}", "expiresInDays"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":0}", "expiresInDays"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":1.5}", "expiresInDays"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":\"30\"}", "expiresInDays"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":99999999999}",
                        "expiresInDays"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":1,"
                        + "\"expiresAt\":\"2030-01-01T00:00:00Z\"}", "expiresAt"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}",
                        "expiresAt"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"],\"expiresAt\":\"2099-01-01T00:00:00Z\"}",
                        "expiresAt"),
                Map.entry("{\"name\":\"a\",\"scopes\":[\"catalog:read\"],\"expiresAt\":\"tomorrow\"}", "expiresAt"));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> request : invalid.entrySet()) {
            HttpResponse<String> response = post(gateway, ADMIN, request.getKey());
            if (response.statusCode() != 422 || !response.body().contains("\"field\":\"" + request.getValue() + "\"")
                    || !response.body().contains("https://switchboard.dev/problems/validation-failed")) {
                wrong.add(request.getKey() + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertThat(wrong).isEmpty();

        assertThat(post(gateway, ADMIN, "{\"name\":").statusCode()).isEqualTo(400);
        assertThat(post(gateway, ADMIN, "[]").statusCode()).isEqualTo(422);
        HttpResponse<String> plain = gateway.send("POST", "/v1/tokens", null, "Authorization", ADMIN,
                "Content-Type", "text/plain");
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(plain.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        // A token valid until a given instant, given instead of a number of days.
        Instant until = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<String> dated = post(gateway, ADMIN, "{\"name\":\"" + unique("dated") + "\",\"scopes\":"
                + "[\"catalog:read\"],\"expiresAt\":\"" + until + "\"}");
        assertThat(dated.statusCode()).isEqualTo(201);
        assertThat(Instant.parse(JSON.readTree(dated.body()).get("expiresAt").stringValue())).isEqualTo(until);
    }

    @EngineTest
    void aTokenCannotHoldAScopeItsIssuerLacks(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        String name = unique("escalate");
        String manager = longLived("mallory", "tokens:manage catalog:read");
        HttpResponse<String> response = post(gateway, manager,
                "{\"name\":\"" + name + "\",\"scopes\":[\"catalog:read\",\"catalog:write\",\"admin\"],\"expiresInDays\":1}");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"type\":\"https://switchboard.dev/problems/forbidden\"")
                .contains("\"scopes\":[\"catalog:write\",\"admin\"]");
        assertThat(gateway.get("/v1/tokens", "Authorization", manager).body()).doesNotContain(name);

        // An API token with tokens:manage may issue tokens too, within its own scopes.
        String secret = JSON.readTree(post(gateway, manager, "{\"name\":\"" + name + "\",\"scopes\":[\"tokens:manage\"],"
                + "\"expiresInDays\":1}").body()).get("token").stringValue();
        String withinParent = "\"expiresAt\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"";
        assertThat(post(gateway, bearer(secret), "{\"name\":\"" + name + "-child\",\"scopes\":[\"catalog:read\"],"
                + withinParent + "}").statusCode()).isEqualTo(403);
        assertThat(post(gateway, bearer(secret), "{\"name\":\"" + name + "-child\",\"scopes\":[\"tokens:manage\"],"
                + withinParent + "}").statusCode()).isEqualTo(201);
    }

    @EngineTest
    void aTokenNeverOutlivesTheCredentialThatIssuesIt(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        String name = unique("outlive");
        // TestJwts' claims expire in five minutes.
        String shortLived = bearer(TestJwts.hs256(SECRET, TestJwts.claims("oscar", "tokens:manage catalog:read")));
        HttpResponse<String> response = post(gateway, shortLived,
                "{\"name\":\"" + name + "\",\"scopes\":[\"catalog:read\"],\"expiresInDays\":1}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("field").stringValue()).isEqualTo("expiresAt");
        assertThat(gateway.get("/v1/tokens", "Authorization", shortLived).body()).doesNotContain(name);
        String inTime = "\"expiresAt\":\"" + Instant.now().plus(Duration.ofMinutes(2)) + "\"";
        assertThat(post(gateway, shortLived, "{\"name\":\"" + name + "\",\"scopes\":[\"catalog:read\"]," + inTime
                + "}").statusCode()).isEqualTo(201);
        // The administrator's password does not expire, so it may issue a token for as long as the API allows.
        assertThat(post(gateway, ADMIN, "{\"name\":\"" + name + "-admin\",\"scopes\":[\"catalog:read\"],"
                + "\"expiresInDays\":365}").statusCode()).isEqualTo(201);
    }

    @EngineTest
    void everyoneSeesAndRevokesOnlyTheirOwnTokensAndTheAdministratorSeesAll(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        String carol = longLived("carol", "tokens:manage catalog:read");
        String dave = longLived("dave", "tokens:manage catalog:read");
        String carolsName = unique("carol");
        String carolsId = issue(gateway, carol, carolsName, "[\"catalog:read\"]").get("id").stringValue();

        assertThat(gateway.get("/v1/tokens", "Authorization", dave).body()).doesNotContain(carolsName);
        assertThat(gateway.get("/v1/tokens/" + carolsId, "Authorization", dave).statusCode()).isEqualTo(404);
        assertThat(gateway.send("DELETE", "/v1/tokens/" + carolsId, null, "Authorization", dave).statusCode())
                .isEqualTo(404);
        assertThat(gateway.get("/v1/tokens/" + carolsId, "Authorization", carol).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/v1/tokens", "Authorization", ADMIN).body()).contains(carolsName);
        assertThat(gateway.get("/v1/tokens/not-a-uuid", "Authorization", carol).statusCode()).isEqualTo(404);
        assertThat(gateway.send("DELETE", "/v1/tokens/" + UUID.randomUUID(), null, "Authorization", ADMIN)
                .statusCode()).isEqualTo(404);
        assertThat(gateway.send("DELETE", "/v1/tokens/" + carolsId, null, "Authorization", ADMIN).statusCode())
                .isEqualTo(204);
    }

    @EngineTest
    void theListPagesNewestFirstAndRefusesABadCursorOrLimit(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        String owner = longLived(unique("pager"), "tokens:manage catalog:read");
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            issued.add(issue(gateway, owner, unique("page" + i), "[\"catalog:read\"]").get("name").stringValue());
        }
        List<String> listed = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> page = gateway.get("/v1/tokens?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    "Authorization", owner);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            assertThat(body.get("items").size()).isBetween(1, 2);
            body.get("items").forEach(t -> {
                listed.add(t.get("name").stringValue());
                created.add(Instant.parse(t.get("createdAt").stringValue()));
            });
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").stringValue();
            pages++;
        } while (cursor != null && pages < 10);
        // Every token once, newest first (tokens issued within one microsecond are ordered by id).
        assertThat(listed).containsExactlyInAnyOrderElementsOf(issued);
        assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(pages).isEqualTo(3);

        for (String query : List.of("cursor=not-a-cursor", "limit=0", "limit=501")) {
            HttpResponse<String> refused = gateway.get("/v1/tokens?" + query, "Authorization", owner);
            assertThat(refused.statusCode()).as(query + ": " + refused.body()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).get("field").stringValue())
                    .isEqualTo("query." + query.substring(0, query.indexOf('=')));
        }
    }

    /** A JWT that outlives the tokens these tests issue with it, which may not outlive their issuer. */
    private static String longLived(String subject, String scope) {
        return bearer(TestJwts.hs256(SECRET, TestJwts.claims(subject, scope)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofDays(30))))));
    }

    private static JsonNode issue(TestGateway gateway, String credentials, String name, String scopes)
            throws Exception {
        HttpResponse<String> response = post(gateway, credentials,
                "{\"name\":\"" + name + "\",\"scopes\":" + scopes + ",\"expiresInDays\":7}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(TestGateway gateway, String credentials, String body) throws Exception {
        return gateway.send("POST", "/v1/tokens", body, "Authorization", credentials);
    }

    private static Record row(TestGateway gateway, UUID id) {
        Transactions transactions = gateway.bean(Transactions.class);
        Table<Record> table = Columns.table("api_token");
        return transactions.read(dsl -> dsl.select().from(table)
                .where(new Columns(transactions.dialect()).uuid(table, "id").eq(id)).fetchOne());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
