package dev.switchboard.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's configuration table is the operators' list of settings: it names exactly the variables of the
 * settings the build's configuration metadata declares, with the same defaults, and every one of them binds.
 */
class ConfigurationTableTest {

    /** Spring Boot's own settings the table lists, by variable, with their property. */
    private static final Map<String, String> BOOT_OWN = Map.of("SERVER_PORT", "server.port");

    @Test
    void theReadmeListsExactlyTheDeclaredSettingsWithTheirDefaults() throws IOException {
        Map<String, String> table = readmeTable();
        Map<String, JsonNode> declared = declaredSettings();
        Map<String, String> variables = new TreeMap<>();
        declared.keySet().forEach(property -> variables.put(SettingVariables.variable(property), property));
        assertThat(table.keySet()).as("the README's variables").containsExactlyInAnyOrderElementsOf(
                union(variables.keySet(), BOOT_OWN.keySet()));
        variables.forEach((variable, property) -> {
            JsonNode value = declared.get(property).get("defaultValue");
            if (value != null && !value.isNull()) {
                // An empty default reads "empty: what that means" in the table.
                String expected = value.asString().isEmpty() ? "empty" : value.asString();
                String shown = table.get(variable).replace("`", "");
                assertThat(shown.equals(expected) || shown.startsWith(expected + ":"))
                        .as("the README's default of " + variable + " is " + expected + ", not " + shown).isTrue();
            }
        });
    }

    @Test
    void everyVariableBindsFromTheEnvironmentAndFromAnyOtherPropertySource() throws IOException {
        for (String property : declaredSettings().keySet()) {
            String variable = SettingVariables.variable(property);
            for (boolean fromEnvironment : new boolean[] {true, false}) {
                StandardEnvironment environment = new StandardEnvironment();
                environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
                environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
                Map<String, Object> values = Map.of(variable, "the-value");
                environment.getPropertySources().addLast(fromEnvironment
                        ? new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, values)
                        : new MapPropertySource("defaultProperties", values));
                ConfigurationPropertySources.attach(environment);
                new SettingVariables().postProcessEnvironment(environment, null);
                assertThat(Binder.get(environment).bind(property, String.class).orElse(null))
                        .as(variable + (fromEnvironment ? " in the environment" : " as a property")).isEqualTo("the-value");
            }
        }
    }

    /** The table under "## Configuration": variable to the text of its default column. */
    private static Map<String, String> readmeTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("\n## Configuration\n"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : section.lines().filter(l -> l.startsWith("| `")).toList()) {
            String[] cells = line.split("\\|");
            String variable = cells[1].strip().replace("`", "");
            assertThat(rows.put(variable, cells[2].strip())).as(variable + " is listed once").isNull();
        }
        return rows;
    }

    /** Every property in this build's own metadata (not the libraries'), with its entry. */
    private static Map<String, JsonNode> declaredSettings() throws IOException {
        Map<String, JsonNode> properties = new TreeMap<>();
        for (URL url : Collections.list(ConfigurationTableTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            if (!url.getProtocol().equals("file")) {
                continue; // a library's metadata, inside its jar
            }
            try (InputStream in = url.openStream()) {
                for (JsonNode property : JsonMapper.builder().build().readTree(in).get("properties")) {
                    properties.put(property.get("name").asString(), property);
                }
            }
        }
        assertThat(properties).as("the generated configuration metadata").isNotEmpty();
        return properties;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
