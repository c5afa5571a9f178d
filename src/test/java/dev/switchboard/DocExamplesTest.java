package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The examples the docs show are what the product answers: /ready's bodies in docs/observability.md (the
 * changeset count included) and a failed discovery's text in docs/api.md, compared with a real run on SQLite.
 * When this fails, the doc or the product changed: make them agree again.
 */
class DocExamplesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void readinessExamplesMatchRealAnswers() throws IOException {
        List<String> blocks = fenced(Path.of("docs/observability.md"), "json");
        JsonNode ready = JSON.readTree(blocks.get(0));
        JsonNode notReady = JSON.readTree(blocks.get(1));

        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of())) {
            Reply real = gateway.anonymous().get("/ready");
            assertThat(real.status()).isEqualTo(200);
            assertThat(withoutDatabase(real.json())).as("docs/observability.md's READY example")
                    .isEqualTo(withoutDatabase(ready));
            assertThat(fieldNames(real.json().get("database"))).isEqualTo(fieldNames(ready.get("database")));
        }
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                Map.of("SWITCHBOARD_SKIP_MIGRATIONS", "true"))) {
            Reply real = gateway.anonymous().get("/ready");
            assertThat(real.status()).isEqualTo(503);
            assertThat(withoutDatabase(real.json())).as("docs/observability.md's NOT_READY example")
                    .isEqualTo(withoutDatabase(notReady));
        }
    }

    @Test
    void theDiscoveryFailureExampleMatchesARealAnswer() throws IOException {
        String failed = fenced(Path.of("docs/api.md"), "json").stream()
                .flatMap(block -> block.lines())
                .filter(line -> line.contains("\"status\": \"failed\"")).findFirst().orElseThrow();
        JsonNode example = JSON.readTree("{" + failed + "}").get("discovery");
        // The example names its upstream in its detail; the real one is registered under the same name.
        Matcher named = Pattern.compile("Upstream (\\S+) ").matcher(example.get("detail").asString());
        assertThat(named.find()).as("the example names its upstream: " + example).isTrue();

        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of())) {
            Reply created = gateway.admin().post("/v1/gateways", Map.of("name", named.group(1),
                    "url", "http://127.0.0.1:" + LoopbackPorts.free() + "/mcp"));
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("discovery")).as("docs/api.md's failed discovery").isEqualTo(example);
        }
    }

    /** The contents of every fenced block of {@code language} in {@code doc}, in order. */
    static List<String> fenced(Path doc, String language) throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```" + language + "\\n(.*?)^```", Pattern.DOTALL)
                .matcher(Files.readString(doc));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The answer without the engine and its version, which depend on where it runs. */
    private static JsonNode withoutDatabase(JsonNode answer) {
        ObjectNode copy = (ObjectNode) answer.deepCopy();
        copy.remove("database");
        return copy;
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.propertyNames().stream().sorted().toList();
    }
}
