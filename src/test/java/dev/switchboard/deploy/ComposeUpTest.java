package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each Compose file, brought up by `docker compose` with no .env and no variable, as its header says: the gateway
 * becomes healthy after its database, prints its generated password, takes an upstream and serves a tool call
 * through /mcp. Brought down and up again, it still has that tool, that password and its key (it would refuse to
 * start under another), all kept in the file's volumes. In CI the database images are stand-ins built from
 * Debian's packages (SWITCHBOARD_POSTGRES_IMAGE and the like, set by .ci/docker.sh; see docs/deployment.md).
 */
class ComposeUpTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Duration READY = Duration.ofMinutes(2);
    /** Unset for `docker compose`, so the files run as an operator runs them with nothing set. */
    private static final Map<String, String> NOTHING_SET = Map.of("SWITCHBOARD_SECRET_KEY", "", "ADMIN_PASSWORD",
            "", "ADMIN_USER", "", "SWITCHBOARD_DB_PASSWORD", "");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.postgres.yml", "docker-compose.mariadb.yml",
            "docker-compose.mysql.yml"})
    void eachComposeFileComesUpServesAToolAndKeepsItsDataAcrossDownAndUp(String file) throws Exception {
        DockerCli.assumeEngineAndImage();
        String project = "sbci-" + file.replace("docker-compose", "compose").replace(".yml", "").replace('.', '-')
                + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String tool = "compose_health";
        try {
            compose(project, file, "up", "-d", "--wait", "--wait-timeout", "240");
            ContainerGateway anonymous = new ContainerGateway("127.0.0.1:8080", null);
            anonymous.awaitReady(READY, () -> true, () -> logs(project, file));
            String firstLog = logs(project, file);
            ContainerGateway admin = anonymous.as(ContainerGateway.generatedPassword(firstLog));
            admin.registerHealthTool(tool);
            assertThat(admin.callTool(tool)).contains("\"isError\":false").contains("UP");

            compose(project, file, "down");
            compose(project, file, "up", "-d", "--wait", "--wait-timeout", "240");
            anonymous.awaitReady(READY, () -> true, () -> logs(project, file));
            // A new container on the same volumes: no new password, the old one and the tool are still there.
            assertThat(logs(project, file)).doesNotContain("Generated administrator password");
            assertThat(admin.get("/v1/tools").body()).contains("\"" + tool + "\"");
            assertThat(admin.callTool(tool)).contains("\"isError\":false").contains("UP");
        } finally {
            DockerCli.cleanUp("compose", "-p", project, "-f", ROOT.resolve(file).toString(), "down", "-v",
                    "--remove-orphans");
        }
    }

    private static String compose(String project, String file, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("compose", "-p", project, "-f",
                ROOT.resolve(file).toString()));
        command.addAll(List.of(args));
        return DockerCli.ok(NOTHING_SET, command.toArray(String[]::new));
    }

    private static String logs(String project, String file) {
        try {
            return compose(project, file, "logs", "--no-color", "switchboard");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
