package dev.switchboard.catalog.rest;

import static dev.switchboard.catalog.rest.Collections.ALL;
import static dev.switchboard.catalog.rest.Collections.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.rest.Collections.Collection;
import dev.switchboard.catalog.rest.Collections.Invalid;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every catalog collection through the REST API, as administrators and automation use it, on every engine. */
class RegistryApiTest {

    static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    static void assertProblem(Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.problemType()).as(reply.toString()).isEqualTo(type);
        assertThat(reply.text()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.switchboard.");
    }

    @EngineTest
    void everyCollectionCreatesReadsListsUpdatesTogglesAndDeletes(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        for (Collection c : ALL) {
            String name = unique("Life");
            Reply created = admin.post(c.path(), c.body(name));
            assertThat(created.status()).as(c + " " + created).isEqualTo(201);
            String id = created.id();
            assertThat(created.header("Location")).isEqualTo(c.path() + "/" + id);
            assertThat(created.etag()).isEqualTo("\"1\"");
            assertThat(created.json().get("version").asLong()).isEqualTo(1);
            assertThat(created.json().get("enabled").asBoolean()).isTrue();

            Reply got = admin.get(c.path() + "/" + id);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.etag()).isEqualTo("\"1\"");
            assertThat(stored(got.json())).isEqualTo(stored(created.json()));

            Map<String, Object> replacement = with(c.body(name), "description", "replaced");
            Reply replaced = admin.put(c.path() + "/" + id, replacement, got.etag());
            assertThat(replaced.status()).as(c + " " + replaced).isEqualTo(200);
            assertThat(replaced.json().get("description").asString()).isEqualTo("replaced");
            assertThat(replaced.etag()).isEqualTo("\"2\"");

            Reply patched = admin.patch(c.path() + "/" + id, Map.of("tags", List.of("patched", "team-a")),
                    replaced.etag());
            assertThat(patched.status()).as(c + " " + patched).isEqualTo(200);
            assertThat(patched.json().get("description").asString()).isEqualTo("replaced");
            assertThat(patched.json().get("tags").valueStream().map(JsonNode::asString))
                    .containsExactly("patched", "team-a");
            assertThat(patched.json().get("version").asLong()).isEqualTo(3);

            Reply versionInBody = admin.patch(c.path() + "/" + id, Map.of("description", "by body version",
                    "version", 3), null);
            assertThat(versionInBody.status()).as(versionInBody.toString()).isEqualTo(200);

            assertThat(admin.post(c.path() + "/" + id + "/disable", null).json().get("enabled").asBoolean()).isFalse();
            assertThat(admin.get(c.path() + "?enabled=false&q=" + name.toLowerCase()).names()).containsExactly(name);
            assertThat(admin.get(c.path() + "?enabled=true&q=" + name).names()).isEmpty();
            assertThat(admin.post(c.path() + "/" + id + "/enable", null).json().get("enabled").asBoolean()).isTrue();
            assertThat(admin.get(c.path() + "?tag=patched&q=" + name.toUpperCase()).names()).containsExactly(name);

            assertThat(admin.delete(c.path() + "/" + id, null).status()).isEqualTo(204);
            assertProblem(admin.get(c.path() + "/" + id), 404, "not-found");
            assertProblem(admin.delete(c.path() + "/" + id, null), 404, "not-found");
        }
    }

    @EngineTest
    void listingsPageWithCursorsAndSearchNamesLiterally(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        for (Collection c : ALL) {
            String stem = unique("Page");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                names.add(stem + "_" + i);
                assertThat(admin.post(c.path(), c.body(stem + "_" + i)).status()).isEqualTo(201);
            }
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Reply page = admin.get(c.path() + "?limit=2&q=" + stem + (cursor == null ? "" : "&cursor=" + cursor));
                assertThat(page.status()).isEqualTo(200);
                seen.addAll(page.names());
                JsonNode next = page.json().get("nextCursor");
                cursor = next == null || next.isNull() ? null : next.asString();
            } while (cursor != null);
            assertThat(seen).containsExactlyElementsOf(names);
            // "_" is a LIKE wildcard: it must match only itself.
            assertThat(admin.get(c.path() + "?q=" + stem.replace('-', '_')).names()).isEmpty();
            assertProblem(admin.get(c.path() + "?limit=0"), 422, "validation-failed");
            assertProblem(admin.get(c.path() + "?limit=501"), 422, "validation-failed");
            assertProblem(admin.get(c.path() + "?limit=ten"), 422, "validation-failed");
            assertProblem(admin.get(c.path() + "?enabled=yes"), 422, "validation-failed");
            assertProblem(admin.get(c.path() + "?cursor=not-ours"), 422, "validation-failed");
        }
    }

    @EngineTest
    void eachValidationFailureIs422NamingTheFieldAndStoresNothing(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        for (Collection c : ALL) {
            for (Invalid invalid : c.invalid()) {
                String name = unique("Bad");
                Reply reply = admin.post(c.path(), invalid.change().apply(c.body(name)));
                assertProblem(reply, 422, "validation-failed");
                assertThat(reply.json().get("field").asString()).as(c + " " + invalid.label() + ": " + reply)
                        .isEqualTo(invalid.field());
                assertThat(reply.json().get("detail").asString()).isNotBlank();
                assertThat(admin.get(c.path() + "?q=" + name).names()).as(c + " " + invalid.label()).isEmpty();
            }
            String id = admin.post(c.path(), c.body(unique("Valid"))).id();
            Invalid first = c.invalid().getFirst();
            Reply put = admin.put(c.path() + "/" + id, first.change().apply(c.body(unique("Valid"))), "\"1\"");
            assertProblem(put, 422, "validation-failed");
            assertThat(admin.get(c.path() + "/" + id).etag()).isEqualTo("\"1\"");
        }
    }

    @EngineTest
    void malformedBodiesGetClearErrors(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        for (Collection c : ALL) {
            assertProblem(admin.post(c.path(), "{\"name\": "), 400, "malformed-request");
            assertProblem(admin.post(c.path(), "[1, 2]"), 422, "validation-failed");
            assertProblem(admin.send("POST", c.path(), "name=x", Map.of("Content-Type", "text/plain")), 415,
                    "unsupported-media-type");
            assertProblem(admin.post(c.path(), "{\"name\": \"x\"} trailing"), 400, "malformed-request");
            String big = "{\"name\": \"big\", \"description\": \"" + "x".repeat(1_100_000) + "\"}";
            assertProblem(admin.post(c.path(), big), 413, "payload-too-large");
        }
        assertProblem(admin.send("PUT", "/v1/tools", "{}", Map.of()), 405, "method-not-allowed");
    }

    @EngineTest
    void withoutCredentialsEveryEndpointAnswers401(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client anonymous = gateway.anonymous();
        for (Collection c : ALL) {
            String id = gateway.admin().post(c.path(), c.body(unique("Anon"))).id();
            Map<String, Object> body = c.body(unique("Anon"));
            for (Reply reply : List.of(anonymous.get(c.path()), anonymous.get(c.path() + "/" + id),
                    anonymous.post(c.path(), body), anonymous.put(c.path() + "/" + id, body, "\"1\""),
                    anonymous.patch(c.path() + "/" + id, Map.of("description", "x"), "\"1\""),
                    anonymous.delete(c.path() + "/" + id, null), anonymous.post(c.path() + "/" + id + "/disable", null),
                    anonymous.post(c.path() + "/" + id + "/enable", null))) {
                assertProblem(reply, 401, "unauthorized");
            }
            assertThat(gateway.admin().get(c.path() + "/" + id).etag()).isEqualTo("\"1\"");
        }
        assertProblem(anonymous.get("/v1/tags"), 401, "unauthorized");
    }

    @EngineTest
    void readScopeReadsButCannotWriteAndOtherScopesCannotRead(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client reader = gateway.withScopes("catalog:read");
        Client stranger = gateway.withScopes("metrics:read");
        for (Collection c : ALL) {
            String id = gateway.admin().post(c.path(), c.body(unique("Scope"))).id();
            assertThat(reader.get(c.path()).status()).isEqualTo(200);
            assertThat(reader.get(c.path() + "/" + id).status()).isEqualTo(200);
            Map<String, Object> body = c.body(unique("Scope"));
            for (Reply reply : List.of(reader.post(c.path(), body), reader.put(c.path() + "/" + id, body, "\"1\""),
                    reader.patch(c.path() + "/" + id, Map.of("description", "x"), "\"1\""),
                    reader.delete(c.path() + "/" + id, null), reader.post(c.path() + "/" + id + "/disable", null),
                    stranger.get(c.path()), stranger.get(c.path() + "/" + id))) {
                assertProblem(reply, 403, "forbidden");
            }
            assertThat(gateway.admin().get(c.path() + "/" + id).etag()).isEqualTo("\"1\"");
            assertThat(gateway.withScopes("catalog:read", "catalog:write").patch(c.path() + "/" + id,
                    Map.of("description", "written"), "\"1\"").status()).isEqualTo(200);
        }
    }

    @EngineTest
    void unknownIdsAre404(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        for (Collection c : ALL) {
            String missing = c.path() + "/" + UUID.randomUUID();
            for (Reply reply : List.of(admin.get(missing), admin.put(missing, c.body(unique("Missing")), "\"1\""),
                    admin.patch(missing, Map.of("description", "x"), "\"1\""), admin.delete(missing, null),
                    admin.post(missing + "/enable", null), admin.post(missing + "/disable", null),
                    admin.get(c.path() + "/not-a-uuid"))) {
                assertProblem(reply, 404, "not-found");
            }
        }
    }

    @EngineTest
    void aDuplicateNameIs409TheSameOnEveryEngineAndChangesNothing(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        for (Collection c : ALL) {
            String name = unique("Dup");
            Map<String, Object> body = c.body(name);
            assertThat(admin.post(c.path(), body).status()).isEqualTo(201);
            Reply duplicate = admin.post(c.path(), with(body, "description", "second"));
            assertProblem(duplicate, 409, "name-conflict");
            assertThat(duplicate.json().get("field").asString()).isEqualTo(c.uniqueField());
            // The whole document is fixed by the API, not by the engine's error text.
            assertThat(duplicate.json().get("detail").asString()).contains(String.valueOf(body.get(c.uniqueField())))
                    .doesNotContainIgnoringCase("duplicate key").doesNotContainIgnoringCase("constraint");

            Reply other = admin.post(c.path(), c.body(unique("Other")));
            Reply rename = admin.put(c.path() + "/" + other.id(), body, other.etag());
            assertProblem(rename, 409, "name-conflict");
            assertThat(stored(admin.get(c.path() + "/" + other.id()).json())).isEqualTo(stored(other.json()));
        }
    }

    @EngineTest
    void aStaleVersionIs412AndAMissingOneIs428(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        for (Collection c : ALL) {
            String name = unique("Stale");
            Reply created = admin.post(c.path(), c.body(name));
            String path = c.path() + "/" + created.id();
            Reply fresh = admin.patch(path, Map.of("description", "first"), created.etag());
            assertThat(fresh.status()).isEqualTo(200);

            assertProblem(admin.put(path, c.body(name), created.etag()), 412, "stale-version");
            assertProblem(admin.patch(path, Map.of("description", "late"), created.etag()), 412, "stale-version");
            assertProblem(admin.patch(path, Map.of("description", "late", "version", 1), null), 412, "stale-version");
            assertProblem(admin.delete(path, created.etag()), 412, "stale-version");
            assertProblem(admin.put(path, c.body(name), null), 428, "precondition-required");
            assertProblem(admin.put(path, c.body(name), "yesterday"), 422, "validation-failed");
            assertThat(stored(admin.get(path).json())).isEqualTo(stored(fresh.json()));
            assertThat(admin.delete(path, fresh.etag()).status()).isEqualTo(204);
        }
    }

    @EngineTest
    void tagsInUseAreListedWithTheirCounts(TestEngine engine) {
        Client admin = GatewayUnderTest.shared(engine).admin();
        String tag = unique("tag");
        for (Collection c : ALL) {
            admin.post(c.path(), with(c.body(unique("Tagged")), "tags", List.of(tag)));
        }
        JsonNode items = admin.get("/v1/tags").json().get("items");
        JsonNode mine = items.valueStream().filter(n -> n.get("name").asString().equals(tag)).findFirst().orElseThrow();
        assertThat(mine.get("entries").asLong()).isEqualTo(ALL.size());
        assertThat(gatewayReader(engine).get("/v1/tags").status()).isEqualTo(200);
        assertProblem(GatewayUnderTest.shared(engine).withScopes("metrics:read").get("/v1/tags"), 403, "forbidden");
    }

    @Test
    void theBodyLimitIsConfigurableAndTheImportHasItsOwn() {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                Map.of("SWITCHBOARD_MAX_REQUEST_BYTES", "2048", "SWITCHBOARD_MAX_IMPORT_BYTES", "4096"))) {
            Client admin = gateway.admin();
            Map<String, Object> small = with(Collections.SERVERS.body(unique("Small")), "description", "x".repeat(1500));
            assertThat(admin.post("/v1/servers", small).status()).isEqualTo(201);
            Map<String, Object> large = with(Collections.SERVERS.body(unique("Large")), "description", "x".repeat(2100));
            assertProblem(admin.post("/v1/servers", large), 413, "payload-too-large");
            String document = "{\"format\": \"switchboard-catalog\", \"formatVersion\": 1, \"secrets\": \"omitted\","
                    + " \"servers\": [], \"gateways\": [], \"tools\": [], \"resources\": [], \"prompts\": [], "
                    + "\"exportedAt\": \"2026-01-01T00:00:00Z\"}";
            String padded = document.replace("{", "{" + " ".repeat(3000));
            assertThat(admin.post("/v1/import", padded).status()).isEqualTo(200);
            assertProblem(admin.post("/v1/import", document.replace("{", "{" + " ".repeat(5000))), 413,
                    "payload-too-large");
        }
    }

    private static Client gatewayReader(TestEngine engine) {
        return GatewayUnderTest.shared(engine).withScopes("catalog:read");
    }

    /** The entry a write answered with, without the report of what the write set off (a gateway's discovery). */
    /**
     * What a write stored, as a later read shows it: without the write's discovery report, and without what the
     * background health checks maintain (they may check a new upstream between the write and the read).
     */
    private static JsonNode stored(JsonNode written) {
        JsonNode copy = written.deepCopy();
        if (copy instanceof tools.jackson.databind.node.ObjectNode o) {
            o.remove(List.of("discovery", "health", "reachable", "lastSeenAt"));
        }
        return copy;
    }
}
