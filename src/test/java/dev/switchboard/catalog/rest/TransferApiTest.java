package dev.switchboard.catalog.rest;

import static dev.switchboard.catalog.rest.RegistryApiTest.assertProblem;
import static dev.switchboard.catalog.rest.RegistryApiTest.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.impl.DSL;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Export, wipe and import reproduce the catalog; imports are idempotent, previewable and all-or-nothing. */
class TransferApiTest {

    @EngineTest
    void exportWipeImportReproducesTheCatalogAndASecondImportChangesNothing(TestEngine engine) {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(engine.newDatabaseUrl(), Map.of())) {
            Client admin = gateway.admin();
            int entries = populate(gateway);
            JsonNode exported = admin.get("/v1/export?secrets=encrypted").json();
            assertThat(exported.get("format").asString()).isEqualTo("switchboard-catalog");
            assertThat(exported.get("tools")).hasSize(3);

            wipe(gateway);
            assertThat(admin.get("/v1/tools").names()).isEmpty();

            Reply preview = admin.post("/v1/import?dryRun=true", exported);
            assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
            assertThat(preview.json().get("applied").asBoolean()).isFalse();
            assertThat(preview.json().get("changes").size()).isEqualTo(entries + 3);
            assertThat(admin.get("/v1/tools").names()).isEmpty();

            Reply imported = admin.post("/v1/import", exported);
            assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
            assertThat(imported.json().get("applied").asBoolean()).isTrue();
            assertThat(withoutTime(admin.get("/v1/export?secrets=encrypted").json())).isEqualTo(withoutTime(exported));

            Reply again = admin.post("/v1/import", exported);
            assertThat(again.json().get("changes").size()).as(again.toString()).isZero();
            assertThat(again.json().get("unchanged").asInt()).isEqualTo(entries);
            assertThat(withoutTime(admin.get("/v1/export?secrets=encrypted").json())).isEqualTo(withoutTime(exported));

            // A health check between the export and the import is no change: an upstream's health is not the
            // import's to compare (nor to write).
            for (JsonNode upstream : exported.get("gateways")) {
                gateway.bean(UpstreamHealthRepository.class).recordSuccess(
                        UUID.fromString(upstream.get("id").asString()), Instant.now());
            }
            Reply afterCheck = admin.post("/v1/import", exported);
            assertThat(afterCheck.json().get("changes").size()).as(afterCheck.toString()).isZero();
        }
    }

    @EngineTest
    void anImportWithAConflictAppliesNothingAndListsEveryConflict(TestEngine engine) {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(engine.newDatabaseUrl(), Map.of())) {
            Client admin = gateway.admin();
            populate(gateway);
            JsonNode before = withoutTime(admin.get("/v1/export?secrets=encrypted").json());
            ObjectNode changed = (ObjectNode) admin.get("/v1/export?secrets=encrypted").json();
            ((ObjectNode) changed.get("prompts").get(0)).put("description", "changed by the import");
            ((ObjectNode) changed.get("servers").get(0).get("server")).put("id", UUID.randomUUID().toString());
            ((ObjectNode) changed.get("tools").get(0)).put("id", UUID.randomUUID().toString());

            Reply reply = admin.post("/v1/import", changed);
            assertProblem(reply, 409, "conflict");
            assertThat(reply.json().get("conflicts").valueStream().map(c -> c.get("kind").asString()))
                    .containsExactlyInAnyOrder("tool", "server");
            assertThat(withoutTime(admin.get("/v1/export?secrets=encrypted").json())).isEqualTo(before);

            wipe(gateway);
            ObjectNode omitted = (ObjectNode) before.deepCopy();
            omitted.put("secrets", "omitted");
            Reply withoutSecrets = admin.post("/v1/import", omitted);
            assertProblem(withoutSecrets, 409, "conflict");
            // The HTTP upstream, the stdio upstream (its environment values) and both REST tools lack their
            // secrets; the federated tool and the server then lack their upstream and members, and say so.
            assertThat(withoutSecrets.json().get("conflicts").valueStream()
                    .filter(c -> c.get("reason").asString().contains("left out of the export"))
                    .map(c -> c.get("kind").asString()))
                    .containsExactlyInAnyOrder("gateway", "gateway", "tool", "tool");
            assertThat(withoutSecrets.json().get("conflicts").valueStream()
                    .filter(c -> c.get("reason").asString().contains("stdio environment [DEBUG]"))).hasSize(1);
            assertThat(withoutSecrets.json().get("conflicts").valueStream().map(c -> c.get("kind").asString()))
                    .containsExactlyInAnyOrder("gateway", "gateway", "tool", "tool", "tool", "server");
            assertThat(admin.get("/v1/tools").names()).isEmpty();
        }
    }

    @EngineTest
    void exportAndImportNeedTheirScopesAndAWellFormedDocument(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        assertProblem(gateway.anonymous().get("/v1/export"), 401, "unauthorized");
        assertProblem(gateway.anonymous().post("/v1/import", Map.of()), 401, "unauthorized");
        assertProblem(gateway.withScopes("catalog:write").get("/v1/export"), 403, "forbidden");
        assertProblem(gateway.withScopes("catalog:read").post("/v1/import", Map.of()), 403, "forbidden");
        // Stored credentials, even encrypted, leave only with the admin scope.
        assertProblem(gateway.withScopes("catalog:read", "catalog:write").get("/v1/export?secrets=encrypted"), 403,
                "forbidden");
        assertThat(gateway.withScopes("catalog:read").get("/v1/export").status()).isEqualTo(200);
        Client admin = gateway.admin();
        assertProblem(admin.get("/v1/export?secrets=plain"), 422, "validation-failed");
        assertProblem(admin.post("/v1/import", Map.of("format", "other")), 422, "validation-failed");
        assertProblem(admin.post("/v1/import", Map.of("format", "switchboard-catalog", "formatVersion", 99,
                "secrets", "omitted")), 422, "validation-failed");
        Reply unknownField = admin.post("/v1/import", Map.of("format", "switchboard-catalog", "formatVersion", 1,
                "secrets", "omitted", "extra", true));
        assertProblem(unknownField, 422, "validation-failed");
        assertThat(admin.get("/v1/export").json().toString()).doesNotContain("v1:");
    }

    /** A small catalog of every kind, with credentials and memberships; returns how many entries it made. */
    private static int populate(GatewayUnderTest gateway) {
        Client admin = gateway.admin();
        String upstream = admin.post("/v1/gateways", Collections.GATEWAYS.body(unique("Up"))).id();
        String stdio = admin.post("/v1/gateways", Map.of("name", unique("Local"), "command",
                Map.of("command", "npx", "args", List.of("-y", "server"), "env", Map.of("DEBUG", "1")))).id();
        String rest = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("Rest")), "auth",
                Map.of("type", "basic", "username", "u", "password", "p"))).id();
        String header = admin.post("/v1/tools", Collections.with(Collections.TOOLS.body(unique("Hdr")), "auth",
                Map.of("type", "header", "headerName", "X-Key", "headerValue", "v"))).id();
        Tool federated = gateway.bean(ToolRepository.class).create(new Tool(null, UUID.fromString(upstream),
                unique("up") + ".echo", "echo", "echo", IntegrationType.MCP, "Echo", "{\"type\":\"object\"}", null,
                null, null, AuthType.NONE, null, true, Set.of("fed"), null, null, null, 0));
        String text = admin.post("/v1/resources", Collections.RESOURCES.body(unique("Text"))).id();
        String blob = admin.post("/v1/resources", Map.of("uri", "file:///logo.png", "name", unique("Blob"),
                "mimeType", "image/png", "blob", "iVBORw0KGgo=")).id();
        admin.post("/v1/resources", Map.of("uri", "docs://pages/{page}", "name", unique("Tpl"), "template", true));
        String prompt = admin.post("/v1/prompts", Collections.PROMPTS.body(unique("Prompt"))).id();
        String server = admin.post("/v1/servers", Collections.SERVERS.body(unique("Srv"))).id();
        admin.post("/v1/servers", Collections.SERVERS.body(unique("Empty")));
        admin.put("/v1/servers/" + server + "/tools", Map.of("ids", List.of(rest, header, federated.id().toString())),
                null);
        admin.put("/v1/servers/" + server + "/resources", Map.of("ids", List.of(text, blob)), null);
        admin.put("/v1/servers/" + server + "/prompts", Map.of("ids", List.of(prompt)), null);
        assertThat(stdio).isNotNull();
        return 2 + 3 + 3 + 1 + 2;
    }

    private static void wipe(GatewayUnderTest gateway) {
        gateway.database().transactions().write(dsl -> {
            for (String table : List.of("virtual_server", "tool", "resource", "prompt", "upstream_gateway", "tag")) {
                dsl.deleteFrom(DSL.table(DSL.name(table))).execute();
            }
            return null;
        });
    }

    private static JsonNode withoutTime(JsonNode document) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        copy.remove("exportedAt");
        return copy;
    }
}
