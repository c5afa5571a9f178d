package dev.switchboard.catalog.rest;

import static dev.switchboard.catalog.rest.RegistryApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.TestEngine;
import tools.jackson.databind.JsonNode;

/** The API describes itself: OpenAPI 3.1 at /openapi.json and a page at /docs, both behind credentials. */
class OpenApiTest {

    @EngineTest
    void theDescriptionIsOpenApi31AndCoversEveryCollection(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        assertProblem(gateway.anonymous().get("/openapi.json"), 401, "unauthorized");
        JsonNode api = gateway.withScopes("catalog:read").get("/openapi.json").json();
        assertThat(api.get("openapi").asString()).startsWith("3.1");
        JsonNode paths = api.get("paths");
        for (String path : new String[] {"/v1/gateways", "/v1/gateways/{id}", "/v1/tools/{id}/enable",
                "/v1/resources", "/v1/prompts/{id}/disable", "/v1/servers/{id}/{kind}", "/v1/tags", "/v1/export",
                "/v1/import"}) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        assertThat(paths.get("/v1/tools/{id}").has("patch")).isTrue();
        JsonNode schemas = api.get("components").get("schemas");
        assertThat(schemas.has("ToolBody")).isTrue();
        assertThat(schemas.get("ToolBody").get("properties").has("inputSchema")).isTrue();
        assertThat(api.get("components").get("securitySchemes").has("bearer")).isTrue();

        GatewayUnderTest.Reply page = gateway.withScopes("catalog:read").get("/docs");
        assertThat(page.status()).isIn(200, 302);
        assertProblem(gateway.anonymous().get("/docs"), 401, "unauthorized");
    }
}
