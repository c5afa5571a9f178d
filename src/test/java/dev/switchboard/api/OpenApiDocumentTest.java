package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI description the gateway serves is committed (src/main/resources/dev/switchboard/api/openapi.json).
 * This test generates it again from the controllers with springdoc, which is on the test class path only, and fails
 * when the two differ. {@code ./mvnw test -Dtest=OpenApiDocumentTest -Dopenapi.write=true} writes the new one.
 */
class OpenApiDocumentTest {

    private static final Path COMMITTED = Path.of("src/main/resources/dev/switchboard/api", OpenApiEndpoint.DOCUMENT);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @Test
    void theCommittedDescriptionIsTheOneTheControllersGenerate() throws Exception {
        JsonNode generated;
        try (TestGateway gateway = TestGateway.start(Map.of(
                "DATABASE_URL", TestEngines.scratchDatabaseUrl(),
                "ADMIN_PASSWORD", "openapi-password"), Map.of(
                "springdoc.api-docs.enabled", "true",
                "springdoc.api-docs.path", "/v3/api-docs",
                "springdoc.api-docs.version", "openapi_3_1",
                "springdoc.packages-to-scan", "dev.switchboard",
                "springdoc.writer-with-order-by-keys", "true"))) {
            HttpResponse<String> response = gateway.get("/v3/api-docs",
                    "Authorization", TestGateway.basic("admin", "openapi-password"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            generated = JSON.readTree(response.body());
        }
        // springdoc names the server it was asked on, a random port here. Without "servers" a client uses the
        // address it fetched the description from, which is what a gateway behind any proxy needs.
        ((ObjectNode) generated).remove("servers");
        assertThat(generated.get("paths").has("/v1/gateways")).as("springdoc saw the controllers").isTrue();
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(COMMITTED, JSON.writeValueAsString(generated) + "\n");
        }
        JsonNode committed = JSON.readTree(Files.readString(COMMITTED));
        assertThat(committed)
                .as("%s is out of date: regenerate it with ./mvnw test -Dtest=OpenApiDocumentTest"
                        + " -Dopenapi.write=true, and review the change", COMMITTED)
                .isEqualTo(generated);
    }
}
