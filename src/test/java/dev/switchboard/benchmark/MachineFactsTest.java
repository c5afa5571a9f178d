package dev.switchboard.benchmark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MachineFactsTest {

    @Test
    void describesThisMachineAndTheVersionsInTheReportsOrder() {
        Map<String, String> facts = MachineFacts.describe(Path.of("").toAbsolutePath(),
                Map.of("PostgreSQL", "15.8"));

        assertThat(facts.keySet()).containsExactly("CPU", "Cores", "Memory", "OS", "Kernel", "JDK", "Switchboard",
                "PostgreSQL", "JMH", "Node.js", "@modelcontextprotocol/server-everything", "supergateway");
        assertThat(facts.get("Cores")).startsWith(Integer.toString(Runtime.getRuntime().availableProcessors()));
        assertThat(facts.get("Memory")).matches("[0-9]+\\.[0-9] GiB");
        assertThat(facts.get("JDK")).contains(System.getProperty("java.runtime.version"));
        assertThat(facts.get("Switchboard")).matches("[0-9]+\\.[0-9]+\\.[0-9]+.*");
        assertThat(facts.get("PostgreSQL")).isEqualTo("15.8");
        assertThat(facts.get("JMH")).isEqualTo("1.37");
        assertThat(facts.values()).doesNotContainNull();
    }

    @Test
    void readsTheInstalledNpmPackagesAndSaysUnknownForWhatIsMissing(@TempDir Path project) throws IOException {
        Path supergateway = project.resolve("src/test/node/node_modules/supergateway");
        Files.createDirectories(supergateway);
        Files.writeString(supergateway.resolve("package.json"), "{\"name\": \"supergateway\", \"version\": \"4.0.0\"}");

        Map<String, String> facts = MachineFacts.describe(project, Map.of());

        assertThat(facts).containsEntry("supergateway", "4.0.0")
                .containsEntry("@modelcontextprotocol/server-everything", "unknown")
                .containsEntry("Switchboard", "unknown");
    }

    @Test
    void prefersTheBuildsOwnVersionToThePom(@TempDir Path project) throws IOException {
        Files.writeString(project.resolve("pom.xml"), """
                <project><parent><version>9.9.9</version></parent><version>1.2.3</version></project>
                """);
        assertThat(MachineFacts.describe(project, Map.of())).containsEntry("Switchboard", "1.2.3");

        Path buildInfo = project.resolve("target/classes/META-INF/build-info.properties");
        Files.createDirectories(buildInfo.getParent());
        Files.writeString(buildInfo, "build.version=1.2.4\n");
        assertThat(MachineFacts.describe(project, Map.of())).containsEntry("Switchboard", "1.2.4");
    }
}
