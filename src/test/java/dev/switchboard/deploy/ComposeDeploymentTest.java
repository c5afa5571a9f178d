package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.persistence.DatabaseUrl;
import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestSecretKeys;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The image and the Compose files: each file starts the gateway built from this repository once its database
 * is healthy, and the gateway boots on exactly the environment the file and the image give it.
 *
 * <p>What the boot test changes, because no container runs here: the database host, port, user, password and
 * database name in DATABASE_URL point at a fresh database on the run's local engine (scheme and options are
 * kept), /data becomes a temporary folder, and SERVER_PORT is a free port.
 */
class ComposeDeploymentTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** What an operator puts in .env (or the environment) before `docker compose up`. */
    private static final Map<String, String> VARIABLES = Map.of("SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY,
            "ADMIN_PASSWORD", "compose-admin-password");
    private static final String MISSING_KEY = "SWITCHBOARD_SECRET_KEY is not set; it encrypts the upstream "
            + "credentials stored in the database. Make one with: openssl rand -base64 32";

    @Test
    void theImageRunsTheJarAsANonRootUserWithSqliteOnItsVolumeAndChecksHealth() throws Exception {
        ImageDefinition image = ImageDefinition.read(ROOT.resolve("Dockerfile"));
        assertThat(image.stages()).hasSize(2);
        assertThat(image.stages().get(0)).contains("-jdk").endsWith("AS build");
        assertThat(image.stages().get(1)).contains("-jre");
        assertThat(image.user()).isEqualTo("10001:10001");
        assertThat(image.volumes()).containsExactly("/data");
        assertThat(image.exposed()).containsExactly("8080");
        assertThat(image.environment()).containsEntry("DATABASE_URL", "sqlite:////data/switchboard.db");
        assertThat(DatabaseUrl.parse(image.environment().get("DATABASE_URL")).sqliteFile())
                .isEqualTo(Path.of("/data/switchboard.db"));
        assertThat(image.healthCheckCommand()).contains("/health").doesNotContain("/ready");
        assertThat(image.healthCheckOptions()).containsKeys("interval", "timeout", "start-period", "retries");
        assertThat(image.entrypoint())
                .isEqualTo("[\"java\", \"-XX:AOTCache=/app/switchboard.aot\", \"-jar\", \"/app/switchboard.jar\"]");
        // The build stage copies only these; .dockerignore must let them through and keep the rest out.
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore")))
                .contains("*", "!mvnw", "!.mvn/", "!pom.xml", "!src/");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "docker-compose.yml,          ,         ",
            "docker-compose.postgres.yml, postgres, postgres:16",
            "docker-compose.mariadb.yml,  mariadb,  mariadb:11.4",
            "docker-compose.mysql.yml,    mysql,    mysql:8.4"})
    void eachComposeFileStartsTheGatewayAfterItsDatabaseIsHealthy(String file, String database, String image)
            throws Exception {
        ComposeFile compose = ComposeFile.read(ROOT.resolve(file), VARIABLES);
        Map<String, Object> gateway = compose.service("switchboard");
        assertThat(gateway.get("build")).isEqualTo(".");
        assertThat(compose.environment("switchboard")).containsKey("DATABASE_URL")
                .doesNotContainKey("SWITCHBOARD_SKIP_MIGRATIONS") // migrations run at startup
                .containsEntry("SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY)
                .containsEntry("ADMIN_USER", "admin")
                .containsEntry("ADMIN_PASSWORD", "compose-admin-password");
        if (database == null) {
            assertThat(compose.services()).containsOnlyKeys("switchboard");
            assertThat(gateway.get("volumes")).isEqualTo(List.of("switchboard-data:/data"));
            assertThat(compose.namedVolumes()).containsOnlyKeys("switchboard-data");
            return;
        }
        assertThat(compose.services()).containsOnlyKeys("switchboard", database);
        assertThat(gateway.get("depends_on")).isEqualTo(Map.of(database, Map.of("condition", "service_healthy")));
        Map<String, Object> db = compose.service(database);
        assertThat(db.get("image")).isEqualTo(image);
        assertThat(ComposeFile.asMap(db.get("healthcheck"))).containsKeys("test", "interval", "retries");
        List<?> mounts = (List<?>) db.get("volumes");
        assertThat(mounts).hasSize(1);
        String volume = mounts.get(0).toString().split(":")[0];
        assertThat(compose.namedVolumes()).containsOnlyKeys(volume);
        // The URL names the database service as its host, and the user, password and database the service creates.
        String url = compose.environment("switchboard").get("DATABASE_URL");
        Map<String, String> dbEnv = compose.environment(database);
        String prefix = database.toUpperCase(java.util.Locale.ROOT);
        String databaseName = dbEnv.get(database.equals("postgres") ? "POSTGRES_DB" : prefix + "_DATABASE");
        assertThat(url).contains("://" + dbEnv.get(prefix + "_USER") + ":" + dbEnv.get(prefix + "_PASSWORD") + "@"
                + database + ":").contains("/" + databaseName);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"docker-compose.postgres.yml", "docker-compose.mariadb.yml", "docker-compose.mysql.yml"})
    void aServerComposeFileRefusesToStartWithoutTheKeyOrTheAdminPassword(String file) {
        Path path = ROOT.resolve(file);
        assertThatThrownBy(() -> ComposeFile.read(path, Map.of("ADMIN_PASSWORD", "pw")))
                .isInstanceOf(ComposeFile.MissingVariableException.class)
                .hasMessageContaining("SWITCHBOARD_SECRET_KEY").hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> ComposeFile.read(path, Map.of("SWITCHBOARD_SECRET_KEY", "", "ADMIN_PASSWORD", "pw")))
                .hasMessageContaining("SWITCHBOARD_SECRET_KEY");
        assertThatThrownBy(() -> ComposeFile.read(path, Map.of("SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY)))
                .isInstanceOf(ComposeFile.MissingVariableException.class).hasMessageContaining("ADMIN_PASSWORD");
    }

    @Test
    void theSqliteComposeFileNeedsOnlyTheAdminPasswordAndPassesAnEmptyKeyOtherwise() throws Exception {
        Map<String, String> env = ComposeFile.read(ROOT.resolve("docker-compose.yml"), Map.of("ADMIN_PASSWORD", "pw"))
                .environment("switchboard");
        assertThat(env).containsEntry("SWITCHBOARD_SECRET_KEY", "").containsEntry("ADMIN_PASSWORD", "pw");
        assertThatThrownBy(() -> ComposeFile.read(ROOT.resolve("docker-compose.yml"), Map.of()))
                .hasMessageContaining("ADMIN_PASSWORD");
    }

    @Tag(TestEngines.TAG)
    @Test
    void withoutTheKeyTheGatewayRefusesToBootOnTheEnvironmentOfThePostgresComposeFile(@TempDir Path workDir)
            throws Exception {
        Optional<TestEngine> local = LocalDatabase.inRun(Engine.POSTGRESQL);
        assumeTrue(local.isPresent(), "postgresql is not among this run's engines");
        // The file itself refuses to render without the key; this is what the gateway would do if it did not.
        Map<String, String> env = containerEnvironment("docker-compose.postgres.yml");
        env.put("DATABASE_URL", LocalDatabase.create(local.get()).rewrite(env.get("DATABASE_URL")));
        env.remove("SWITCHBOARD_SECRET_KEY");
        assertThatThrownBy(() -> GatewayProcess.start(env, workDir).close())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the gateway exited with 1")
                .hasMessageContaining("\n" + MISSING_KEY + "\n")
                .satisfies(e -> assertThat(e.getMessage().lines()).noneMatch(l -> l.matches("\\s+at .*")));
    }

    @Tag(TestEngines.TAG)
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "docker-compose.postgres.yml, POSTGRESQL",
            "docker-compose.mariadb.yml,  MARIADB",
            "docker-compose.mysql.yml,    MYSQL"})
    void theGatewayBootsOnTheEnvironmentOfEachComposeFileAndPassesItsHealthCheck(String file, Engine engine,
            @TempDir Path workDir) throws Exception {
        Optional<TestEngine> local = LocalDatabase.inRun(engine);
        // MySQL runs only where SWITCHBOARD_TEST_MYSQL_URL names a server; the others are always in a full run.
        assumeTrue(local.isPresent(), engine.id() + " is not among this run's engines");
        Map<String, String> env = containerEnvironment(file);
        env.put("DATABASE_URL", LocalDatabase.create(local.get()).rewrite(env.get("DATABASE_URL")));
        bootAndCheck(env, workDir, engine);
    }

    @Test
    void theGatewayBootsOnTheEnvironmentOfTheSqliteComposeFile(@TempDir Path workDir) throws Exception {
        // The .env of a trial: the admin's password, and no key.
        Map<String, String> env = containerEnvironment("docker-compose.yml", Map.of("ADMIN_PASSWORD", "trial"));
        assertThat(env).containsEntry("SWITCHBOARD_SECRET_KEY", "");
        Path data = Files.createDirectories(workDir.resolve("data-volume"));
        env.put("DATABASE_URL", env.get("DATABASE_URL").replace("////data/", "///" + data + "/"));
        bootAndCheck(env, workDir, Engine.SQLITE);
        assertThat(data.resolve("switchboard.db")).exists();
        // No key was set, so the gateway made a development key on the volume, beside the database.
        assertThat(data.resolve("switchboard-secret.key")).exists();
    }

    /** The image's environment, overridden by the Compose file's, as the container gets it. */
    private static Map<String, String> containerEnvironment(String file) throws Exception {
        return containerEnvironment(file, VARIABLES);
    }

    private static Map<String, String> containerEnvironment(String file, Map<String, String> variables)
            throws Exception {
        Map<String, String> env = new LinkedHashMap<>(ImageDefinition.read(ROOT.resolve("Dockerfile")).environment());
        env.putAll(ComposeFile.read(ROOT.resolve(file), variables).environment("switchboard"));
        return env;
    }

    private static void bootAndCheck(Map<String, String> env, Path workDir, Engine engine) throws Exception {
        String healthCheck = ImageDefinition.read(ROOT.resolve("Dockerfile")).healthCheckCommand();
        Map<String, String> running;
        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            HttpResponse<String> ready = gateway.get("/ready");
            assertThat(ready.statusCode()).as(gateway.log()).isEqualTo(200);
            assertThat(ready.body()).contains("\"engine\":\"" + engine.id() + "\"").contains("\"pending\":0");
            assertThat(gateway.log()).contains("Schema migrated:");
            assertThat(GatewayProcess.runShell(healthCheck, gateway.environment())).isZero();
            running = gateway.environment();
        }
        // The same check fails once nothing answers, so a pass above means the gateway answered it.
        assertThat(GatewayProcess.runShell(healthCheck, running)).isNotZero();
    }
}
