package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite serves one gateway: a second process started on the same file stops with a message that says why and
 * what to use instead, and a gateway that was killed leaves no lock behind.
 */
class SqliteSingleGatewayTest {

    @Test
    void aSecondGatewayOnTheSameFileIsRefusedAndAKilledOneLeavesNoLock(@TempDir Path workDir) throws Exception {
        Map<String, String> env = Map.of("DATABASE_URL", "sqlite:///./data/registry.db", "ADMIN_PASSWORD",
                "single-gateway-admin");
        Path database = workDir.resolve("data/registry.db").toAbsolutePath().normalize();
        GatewayProcess first = GatewayProcess.start(env, workDir);
        try {
            assertThatThrownBy(() -> GatewayProcess.start(env, workDir).close())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the gateway exited with 1")
                    .hasMessageContaining("Another Switchboard already serves the SQLite database " + database)
                    .hasMessageContaining("use PostgreSQL, MariaDB or MySQL")
                    .satisfies(e -> assertThat(e.getMessage().lines()).noneMatch(l -> l.matches("\\s+at .*")));
            assertThat(first.get("/health").statusCode()).as("the first gateway is untouched").isEqualTo(200);
        } finally {
            first.kill();
        }
        assertThat(Files.exists(workDir.resolve("data/registry.db.lock"))).isTrue();
        try (GatewayProcess next = GatewayProcess.start(env, workDir)) {
            assertThat(next.get("/ready").statusCode()).as(next.log()).isEqualTo(200);
        }
    }
}
