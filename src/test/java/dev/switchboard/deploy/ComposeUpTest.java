package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each Compose file, brought up by `docker compose` with no .env and nothing set but the host port, as its header
 * says: the gateway becomes healthy after its database, prints its generated password, takes a REST tool and an
 * upstream MCP server (its own /mcp) and serves a call of each through /mcp. Brought down and up again, it still has
 * that tool, that upstream, that password and its key (it would refuse to start under another), all kept in the
 * file's volumes. In CI the database images are stand-ins built from Debian's packages (SWITCHBOARD_POSTGRES_IMAGE
 * and the like, set by .ci/docker.sh; see docs/deployment.md).
 *
 * <p>The four files run at once, as four Compose projects on four host ports, since most of each run is waiting
 * for health checks; each file's outcome is then reported by its own test.
 */
class ComposeUpTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final List<String> FILES = List.of("docker-compose.yml", "docker-compose.postgres.yml",
            "docker-compose.mariadb.yml", "docker-compose.mysql.yml");
    private static final Duration READY = Duration.ofMinutes(3);
    /** Unset for `docker compose`, so the files run as an operator runs them with nothing set. */
    private static final Map<String, String> NOTHING_SET = Map.of("SWITCHBOARD_SECRET_KEY", "", "ADMIN_PASSWORD",
            "", "ADMIN_USER", "", "SWITCHBOARD_DB_PASSWORD", "");
    private static final Map<String, Future<?>> RUNS = new ConcurrentHashMap<>();
    private static ExecutorService runner;

    static List<String> files() {
        return FILES;
    }

    @BeforeAll
    static void bringEveryFileUpAtOnce() {
        DockerCli.assumeEngineAndImage();
        runner = Executors.newFixedThreadPool(FILES.size());
        for (String file : FILES) {
            RUNS.put(file, runner.submit(() -> {
                upServeDownAndUpAgain(file);
                return null;
            }));
        }
    }

    @AfterAll
    static void stopRunner() throws InterruptedException {
        if (runner != null) {
            runner.shutdownNow();
            runner.awaitTermination(5, TimeUnit.MINUTES);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachComposeFileComesUpServesAToolAndKeepsItsDataAcrossDownAndUp(String file) throws Exception {
        try {
            RUNS.get(file).get(12, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        }
    }

    private static void upServeDownAndUpAgain(String file) throws Exception {
        String project = "sbci-" + file.replace("docker-compose", "compose").replace(".yml", "").replace('.', '-')
                + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        int port = LoopbackPorts.free();
        Map<String, String> env = new HashMap<>(NOTHING_SET);
        env.put("SWITCHBOARD_PORT", Integer.toString(port));
        String tool = "compose_health";
        try {
            compose(env, project, file, "up", "-d", "--wait", "--wait-timeout", "240");
            ContainerGateway anonymous = new ContainerGateway("127.0.0.1:" + port, null);
            anonymous.awaitReady(READY, () -> true, () -> logs(env, project, file));
            String firstLog = logs(env, project, file);
            String password = ContainerGateway.generatedPassword(firstLog);
            ContainerGateway admin = anonymous.as(password);
            admin.registerHealthTool(tool);
            assertThat(admin.callTool(tool)).contains("\"isError\":false").contains("UP");
            // An upstream MCP server (the gateway's own /mcp), whose federated tool is called through the gateway.
            admin.registerItselfAsUpstream("itself", password);
            assertThat(admin.callTool("itself." + tool)).contains("\"isError\":false").contains("UP");

            compose(env, project, file, "down");
            compose(env, project, file, "up", "-d", "--wait", "--wait-timeout", "240");
            anonymous.awaitReady(READY, () -> true, () -> logs(env, project, file));
            // A new container on the same volumes: no new password, the old one and the tool are still there.
            assertThat(logs(env, project, file)).doesNotContain("Generated administrator password");
            assertThat(admin.get("/v1/tools").body()).contains("\"" + tool + "\"");
            assertThat(admin.callTool(tool)).contains("\"isError\":false").contains("UP");
            assertThat(admin.get("/v1/gateways").body()).contains("\"name\":\"itself\"");
            assertThat(admin.callTool("itself." + tool)).contains("\"isError\":false").contains("UP");
        } finally {
            DockerCli.cleanUp("compose", "-p", project, "-f", ROOT.resolve(file).toString(), "down", "-v",
                    "--remove-orphans");
        }
    }

    private static String compose(Map<String, String> env, String project, String file, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("compose", "-p", project, "-f",
                ROOT.resolve(file).toString()));
        command.addAll(List.of(args));
        return DockerCli.ok(env, command.toArray(String[]::new));
    }

    private static String logs(Map<String, String> env, String project, String file) {
        try {
            return compose(env, project, file, "logs", "--no-color", "switchboard");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
