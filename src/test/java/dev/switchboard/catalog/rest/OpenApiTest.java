package dev.switchboard.catalog.rest;

import static dev.switchboard.catalog.rest.RegistryApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.TestEngine;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** The API describes itself: OpenAPI 3.1 at /openapi.json and a page at /docs, both behind credentials. */
class OpenApiTest {

    private static final Pattern LINK = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

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

        assertThat(api.get("info").get("version").asString()).isNotBlank();

        GatewayUnderTest.Reply page = gateway.withScopes("catalog:read").get("/docs");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertProblem(gateway.anonymous().get("/docs"), 401, "unauthorized");
        // Every file the page loads is served: Swagger UI's from its webjar, the start-up script from the jar.
        List<String> links = LINK.matcher(page.text()).results().map(m -> m.group(1)).toList();
        assertThat(links).contains("docs/swagger-ui-bundle.js", "docs/switchboard-docs.js", "docs/swagger-ui.css");
        for (String link : links) {
            GatewayUnderTest.Reply file = gateway.withScopes("catalog:read").get("/" + link);
            assertThat(file.status()).as(link).isEqualTo(200);
            assertThat(file.text()).as(link).isNotBlank();
        }
        assertThat(gateway.withScopes("catalog:read").get("/docs/switchboard-docs.js").text())
                .contains("url: 'openapi.json'");
        assertProblem(gateway.anonymous().get("/docs/swagger-ui-bundle.js"), 401, "unauthorized");
    }
}
