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
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;

/**
 * /v1/users on every engine: the built-in administrator listed first, local users created, changed and deleted by
 * platform administrators only, each change in the audit trail without the password; and a user's credentials,
 * whatever they were issued with, carrying only the rights the user holds now.
 */
class UsersApiTest {

    private static final String PASSWORD = "a-long-enough-password";

    @EngineTest
    void platformAdministratorsManageLocalUsers(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();

        JsonNode first = admin.get("/v1/users").json().get("items").get(0);
        assertThat(first.get("username").asString()).isEqualTo(GatewayUnderTest.ADMIN);
        assertThat(first.get("kind").asString()).isEqualTo("builtin");
        assertThat(first.get("platformAdmin").asBoolean()).isTrue();

        String name = unique("Alice");
        Reply created = admin.post("/v1/users", Map.of("username", name, "password", PASSWORD,
                "displayName", "Alice Liddell", "email", "alice@example.org"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode alice = created.json();
        String id = alice.get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/v1/users/" + id);
        assertThat(alice.get("username").asString()).as("kept in lower case").isEqualTo(name.toLowerCase());
        assertThat(alice.get("kind").asString()).isEqualTo("local");
        assertThat(alice.get("enabled").asBoolean()).isTrue();
        assertThat(alice.get("platformAdmin").asBoolean()).isFalse();
        assertThat(alice.get("scopes").toString())
                .isEqualTo("[\"catalog:read\",\"catalog:write\",\"tokens:manage\",\"mcp:use\"]");
        assertThat(created.text()).doesNotContain(PASSWORD).doesNotContain("password");
        assertThat(admin.get("/v1/users/" + id).json().get("email").asString()).isEqualTo("alice@example.org");
        assertThat(names(admin)).contains(name.toLowerCase());

        assertProblem(admin.post("/v1/users", Map.of("username", name.toUpperCase(), "password", PASSWORD)), 409,
                "name-conflict", "username");
        assertProblem(admin.post("/v1/users", Map.of("username", "ADMIN", "password", PASSWORD)), 409,
                "name-conflict", "username");
        assertProblem(admin.post("/v1/users", Map.of("username", unique("short"), "password", "short")), 422,
                "validation-failed", "password");
        assertProblem(admin.post("/v1/users", Map.of("username", "issuer#subject", "password", PASSWORD)), 422,
                "validation-failed", "username");
        assertProblem(admin.post("/v1/users", Map.of("username", unique("nopass"))), 422, "validation-failed",
                "password");
        assertProblem(admin.post("/v1/users", Map.of("username", unique("x"), "password", PASSWORD, "role", "x")),
                422, "validation-failed", "role");
        assertProblem(admin.patch("/v1/users/" + id, Map.of("enabled", "yes"), null), 422, "validation-failed",
                "enabled");

        Reply promoted = admin.patch("/v1/users/" + id, Map.of("platformAdmin", true, "displayName", "Alice"), null);
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        assertThat(promoted.json().get("scopes")).hasSize(6);
        assertThat(promoted.json().get("displayName").asString()).isEqualTo("Alice");

        String builtIn = first.get("id").asString();
        assertProblem(admin.patch("/v1/users/" + builtIn, Map.of("enabled", false), null), 409, "read-only", null);
        assertProblem(admin.delete("/v1/users/" + builtIn, null), 409, "read-only", null);
        assertProblem(admin.get("/v1/users/not-an-id"), 404, "not-found", null);
        assertProblem(admin.get("/v1/users/00000000-0000-0000-0000-000000000000"), 404, "not-found", null);

        // Only platform administrators manage users, whatever else a credential holds.
        assertProblem(gateway.withScopes("catalog:read", "catalog:write", "tokens:manage").get("/v1/users"), 403,
                "forbidden", null);

        assertThat(admin.delete("/v1/users/" + id, null).status()).isEqualTo(204);
        assertProblem(admin.get("/v1/users/" + id), 404, "not-found", null);

        List<JsonNode> rows = await().atMost(Duration.ofSeconds(30)).until(() -> auditRows(admin, id),
                r -> r.size() >= 3);
        assertThat(rows).extracting(r -> r.get("action").asString()).containsExactly("delete", "update", "create");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("entityType").asString()).isEqualTo("user");
            assertThat(r.get("actor").asString()).isEqualTo(GatewayUnderTest.ADMIN);
            assertThat(r.toString()).doesNotContain(PASSWORD).doesNotContain("{bcrypt}");
        });
        assertThat(rows.get(1).at("/before/platformAdmin").asBoolean()).isFalse();
        assertThat(rows.get(1).at("/after/platformAdmin").asBoolean()).isTrue();
    }

    @EngineTest
    void aUsersCredentialsCarryOnlyTheUsersRightsAndStopWhenTheUserIsDisabledOrDeleted(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String bob = unique("bob").toLowerCase();
        String id = admin.post("/v1/users", Map.of("username", bob, "password", PASSWORD)).id();

        // A JWT that claims everything for a user who is no platform administrator.
        Client jwt = gateway.as(bob, "admin", "catalog:read", "catalog:write", "tokens:manage", "mcp:use");
        assertThat(jwt.get("/v1/tools").status()).isEqualTo(200);
        assertProblem(jwt.get("/v1/audit"), 403, "forbidden", null);
        assertProblem(jwt.post("/v1/tools", Map.of()), 403, "forbidden", null);
        assertProblem(jwt.post("/v1/tokens", Map.of("name", "too-much", "scopes", List.of("catalog:read", "admin"),
                "expiresAt", java.time.Instant.now().plusSeconds(120).toString())),
                403, "forbidden", null);
        Reply issued = jwt.post("/v1/tokens", Map.of("name", "reader", "scopes", List.of("catalog:read", "mcp:use"),
                "expiresAt", java.time.Instant.now().plusSeconds(120).toString()));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        Client token = gateway.bearer(issued.json().get("token").asString());
        assertThat(token.get("/v1/tools").status()).isEqualTo(200);

        // Rights follow the user, on the next request of this replica.
        assertThat(admin.patch("/v1/users/" + id, Map.of("platformAdmin", true), null).status()).isEqualTo(200);
        assertThat(jwt.get("/v1/audit").status()).isEqualTo(200);
        assertThat(admin.patch("/v1/users/" + id, Map.of("platformAdmin", false), null).status()).isEqualTo(200);
        assertProblem(jwt.get("/v1/audit"), 403, "forbidden", null);

        assertThat(admin.patch("/v1/users/" + id, Map.of("enabled", false), null).status()).isEqualTo(200);
        assertProblem(jwt.get("/v1/tools"), 401, "unauthorized", null);
        assertProblem(token.get("/v1/tools"), 401, "unauthorized", null);
        assertThat(token.get("/v1/tools").json().get("detail").asString()).contains("disabled");
        assertThat(admin.patch("/v1/users/" + id, Map.of("enabled", true), null).status()).isEqualTo(200);
        assertThat(token.get("/v1/tools").status()).isEqualTo(200);

        // Deleting the user revokes their API tokens.
        assertThat(admin.delete("/v1/users/" + id, null).status()).isEqualTo(204);
        assertProblem(token.get("/v1/tools"), 401, "unauthorized", null);
        assertThat(admin.get("/v1/tokens/" + issued.id()).json().get("revokedAt").isNull()).isFalse();
    }

    @EngineTest
    void theUsersComePagedTheBuiltInAdministratorFirstThenByUsername(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String prefix = unique("paged");
        for (String suffix : List.of("c", "a", "b")) {
            assertThat(admin.post("/v1/users", Map.of("username", prefix + "-" + suffix, "password", PASSWORD))
                    .status()).isEqualTo(201);
        }
        // Pages of one (the built-in administrator alone first), of two and of the most: the same users in the
        // same order, each once.
        List<String> whole = names(admin, 500);
        assertThat(whole.getFirst()).isEqualTo(GatewayUnderTest.ADMIN);
        assertThat(whole).doesNotHaveDuplicates()
                .containsSubsequence(prefix + "-a", prefix + "-b", prefix + "-c");
        assertThat(names(admin, 1)).isEqualTo(whole);
        assertThat(names(admin, 2)).isEqualTo(whole);

        assertProblem(admin.get("/v1/users?cursor=not-one-of-ours"), 400,
                "malformed-request", "query.cursor");
        assertProblem(admin.get("/v1/users?limit=0"), 400, "malformed-request",
                "query.limit");
        assertProblem(admin.get("/v1/users?limit=501"), 400, "malformed-request",
                "query.limit");
    }

    private static void assertProblem(Reply reply, int status, String type, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.problemType()).as(reply.toString()).isEqualTo(type);
        assertThat(reply.text()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            assertThat(reply.json().get("field").asString()).as(reply.toString()).isEqualTo(field);
        }
    }

    /** Every username, page by page, {@code limit} to a page. */
    private static List<String> names(Client admin, int limit) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = admin.get("/v1/users?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.json().get("items").size()).isBetween(1, limit);
            page.json().get("items").forEach(u -> names.add(u.get("username").asString()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asString();
        } while (cursor != null);
        return names;
    }

    private static List<String> names(Client admin) {
        return names(admin, 500);
    }

    private static List<JsonNode> auditRows(Client admin, String id) {
        List<JsonNode> rows = new ArrayList<>();
        admin.get("/v1/audit?entityType=user&entityId=" + id).json().get("items").forEach(rows::add);
        return rows;
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
