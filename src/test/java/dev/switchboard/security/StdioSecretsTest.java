package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.catalog.CommandDocument;
import dev.switchboard.catalog.EnvironmentSealing;
import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Database;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.EnvStdioUpstream;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.RegistryDump;
import dev.switchboard.testing.TestEngine;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Table;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stdio upstream's environment values are credentials: stored sealed, never shown by the API or in an export,
 * kept by updates that leave them out, and still handed in clear to the process the gateway starts.
 */
class StdioSecretsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @EngineTest
    void environmentValuesAreSealedHiddenKeptAndStillReachTheProcess(TestEngine engine) throws Exception {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        String secret = SecretSamples.plaintext("api-key");
        String slug = "env" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", slug);
        body.put("transport", "stdio");
        body.put("command", EnvStdioUpstream.command(Map.of("API_KEY", secret)));
        Reply created = gateway.admin().post("/v1/gateways", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.text()).doesNotContain(secret);
        assertThat(created.json().path("command").path("env"))
                .isEqualTo(JSON.readTree("{\"API_KEY\": {\"secretSet\": true, \"readable\": true}}"));
        assertThat(created.json().path("command").path("args").get(2).asString())
                .isEqualTo(EnvStdioUpstream.class.getName());
        String id = created.json().path("id").asString();
        String path = "/v1/gateways/" + id;

        // The row itself holds the name, never the value; and nothing else in the registry does.
        Record2<String, String> row = row(gateway.database(), id);
        assertThat(row.value1()).doesNotContain(secret);
        assertThat(CommandDocument.parse(row.value1()).envNames()).containsExactly("API_KEY");
        assertThat(row.value2()).startsWith("v1:").doesNotContain(secret);
        assertThat(StoredSecretsTest.everyValue(RegistryDump.of(gateway.database()))).doesNotContain(secret);

        Reply got = gateway.admin().get(path);
        assertThat(got.text()).doesNotContain(secret);
        assertThat(got.json().path("command").path("env").path("API_KEY").path("secretSet").asBoolean()).isTrue();
        assertThat(gateway.admin().get("/v1/gateways?limit=500").text()).doesNotContain(secret);
        assertThat(gateway.withScopes("catalog:read").get(path).text()).doesNotContain(secret);
        Reply omitted = gateway.admin().get("/v1/export");
        assertThat(omitted.status()).isEqualTo(200);
        assertThat(omitted.text()).doesNotContain(secret).contains("API_KEY");
        assertThat(gateway.admin().get("/v1/export?secrets=encrypted").text()).doesNotContain(secret);

        assertThat(env(gateway, slug, "API_KEY")).isEqualTo(secret);

        // An export without secrets imports back into this registry: the stored values are kept, nothing changes.
        Reply imported = gateway.admin().post("/v1/import", omitted.json());
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().path("changes").valueStream().map(c -> c.path("id").asString())).doesNotContain(id);
        assertThat(row(gateway.database(), id).value2()).isEqualTo(row.value2());

        // Changing something else keeps the value: by merge patch, and by PUT of what GET showed.
        Reply described = gateway.admin().patch(path, Map.of("description", "renamed"), got.etag());
        assertThat(described.status()).as(described.toString()).isEqualTo(200);
        assertThat(described.text()).doesNotContain(secret);
        assertThat(env(gateway, slug, "API_KEY")).isEqualTo(secret);
        JsonNode shown = gateway.admin().get(path).json();
        Map<String, Object> put = new LinkedHashMap<>();
        put.put("name", slug);
        put.put("description", "put back");
        put.put("command", JSON.treeToValue(shown.path("command"), Map.class));
        Reply replaced = gateway.admin().put(path, put, described.etag());
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(env(gateway, slug, "API_KEY")).isEqualTo(secret);

        // A value given replaces it; a name left out is removed.
        String newer = SecretSamples.plaintext("rotated-api-key");
        Reply changed = gateway.admin().patch(path, Map.of("command", Map.of("env", Map.of("API_KEY", newer))),
                replaced.etag());
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.text()).doesNotContain(newer);
        assertThat(env(gateway, slug, "API_KEY")).isEqualTo(newer);
        assertThat(row(gateway.database(), id).value2()).doesNotContain(newer);
        Map<String, Object> removal = new LinkedHashMap<>();
        removal.put("API_KEY", null);
        Reply removed = gateway.admin().patch(path, Map.of("command", Map.of("env", removal)), changed.etag());
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().path("command").path("env").isEmpty()).isTrue();
        assertThat(row(gateway.database(), id).value2()).isNull();
        assertThat(env(gateway, slug, "API_KEY")).isEqualTo("unset");

        // Keeping a value that is not stored is refused, clearly.
        Reply nothingToKeep = gateway.admin().patch(path, Map.of("command", Map.of("env",
                Map.of("API_KEY", Map.of("secretSet", true)))), removed.etag());
        assertThat(nothingToKeep.status()).isEqualTo(422);
        assertThat(nothingToKeep.contentType()).startsWith("application/problem+json");
        assertThat(nothingToKeep.text()).contains("command.env.API_KEY");
        Reply badValue = gateway.admin().patch(path, Map.of("command", Map.of("env", Map.of("API_KEY", 42))),
                removed.etag());
        assertThat(badValue.status()).isEqualTo(422);
        assertThat(badValue.contentType()).startsWith("application/problem+json");
    }

    @EngineTest
    void aRowWrittenInClearByAnOlderVersionIsSealedAndStillWorks(TestEngine engine) throws Exception {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        String slug = "legacy" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Reply created = gateway.admin().post("/v1/gateways", Map.of("name", slug, "transport", "stdio",
                "command", EnvStdioUpstream.command(Map.of())));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asString();
        String secret = SecretSamples.plaintext("legacy-key");
        // As a version before sealed environments wrote it: the value in clear inside the command document.
        Map<String, Object> legacy = new LinkedHashMap<>(EnvStdioUpstream.command(Map.of("API_KEY", secret)));
        writeRow(gateway.database(), id, JSON.writeValueAsString(legacy));
        assertThat(row(gateway.database(), id).value1()).contains(secret);

        EnvironmentSealing sealing = gateway.bean(EnvironmentSealing.class);
        assertThat(sealing.run(false)).isEqualTo(1);
        Record2<String, String> sealed = row(gateway.database(), id);
        assertThat(sealed.value1()).doesNotContain(secret);
        assertThat(CommandDocument.parse(sealed.value1()).envNames()).containsExactly("API_KEY");
        assertThat(sealed.value2()).startsWith("v1:").doesNotContain(secret);
        assertThat(sealing.run(false)).as("a second run finds nothing in clear").isZero();
        assertThat(row(gateway.database(), id)).isEqualTo(sealed);
        // The sealing kept the version: the If-Match a client holds still applies.
        Reply got = gateway.admin().get("/v1/gateways/" + id);
        assertThat(got.etag()).isEqualTo(created.etag());
        assertThat(got.text()).doesNotContain(secret);
        assertThat(got.json().path("command").path("env").path("API_KEY").path("secretSet").asBoolean()).isTrue();

        // A change of something else restarts the process, which gets the sealed value.
        Reply described = gateway.admin().patch("/v1/gateways/" + id, Map.of("description", "sealed"), got.etag());
        assertThat(described.status()).as(described.toString()).isEqualTo(200);
        assertThat(env(gateway, slug, "API_KEY")).isEqualTo(secret);
    }

    /** The stored command document and sealed environment of one gateway, read straight from the table. */
    private static Record2<String, String> row(Database db, String id) {
        Columns columns = new Columns(db.dialect());
        Table<Record> table = Columns.table("upstream_gateway");
        return db.transactions().read(dsl -> dsl.select(columns.json(table, "command"),
                        columns.text(table, "command_secret")).from(table)
                .where(columns.uuid(table, "id").eq(UUID.fromString(id))).fetchOne());
    }

    private static void writeRow(Database db, String id, String command) {
        Columns columns = new Columns(db.dialect());
        Table<Record> table = Columns.table("upstream_gateway");
        db.transactions().write(dsl -> dsl.update(table).set(columns.json(table, "command"), command)
                .set(columns.text(table, "command_secret"), (String) null)
                .where(columns.uuid(table, "id").eq(UUID.fromString(id))).execute());
    }

    /** What the stdio child behind {@code slug} has as {@code name} in its environment, asked through the gateway. */
    private static String env(GatewayUnderTest gateway, String slug, String name) {
        try (McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(gateway.baseUrl())
                .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization",
                        gateway.admin().authorization())).build()).requestTimeout(Duration.ofSeconds(20)).build()) {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder()
                    .name(slug + ".env").arguments(Map.of("name", name)).build());
            assertThat(result.isError()).as(result.toString()).isNotEqualTo(Boolean.TRUE);
            assertThat(result.content()).hasSize(1);
            return ((McpSchema.TextContent) result.content().getFirst()).text();
        }
    }
}
