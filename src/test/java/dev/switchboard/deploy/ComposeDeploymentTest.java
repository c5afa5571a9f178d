package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.persistence.DatabaseUrl;
import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestSecretKeys;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Test
    void theImageRunsTheJarAsANonRootUserWithSqliteOnItsVolumeAndChecksHealth() throws Exception {
        ImageDefinition image = ImageDefinition.read(ROOT.resolve("Dockerfile"));
        // Built from source by default; JAR_FROM=prebuilt (CI) takes target/switchboard.jar instead.
        assertThat(image.stages()).containsExactly("eclipse-temurin:25-jdk-noble AS build", "scratch AS jar-source",
                "scratch AS jar-prebuilt", "jar-source AS jar", "eclipse-temurin:25-jre-noble");
        assertThat(image.user()).isEqualTo("10001:10001");
        assertThat(image.volumes()).containsExactly("/data");
        assertThat(image.exposed()).containsExactly("8080");
        assertThat(image.environment()).containsEntry("DATABASE_URL", "sqlite:////data/switchboard.db");
        assertThat(DatabaseUrl.parse(image.environment().get("DATABASE_URL")).sqliteFile())
                .isEqualTo(Path.of("/data/switchboard.db"));
        assertThat(image.healthCheckCommand()).contains("/health").doesNotContain("/ready");
        assertThat(image.healthCheckOptions()).containsKeys("interval", "timeout", "start-period", "retries");
        // The JVM's flags for the cache the build made (the AOT cache on Java 25) are in /app/jvm.args.
        assertThat(image.entrypoint())
                .isEqualTo("[\"java\", \"@/app/jvm.args\", \"-jar\", \"/app/switchboard.jar\"]");
        // The build stage copies only these; .dockerignore must let them through and keep the rest out.
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore")))
                .contains("*", "!mvnw", "!.mvn/", "!pom.xml", "!src/", "!target/switchboard.jar");
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
        // The database's volume, and the gateway's data directory (its generated key file).
        assertThat(gateway.get("volumes")).isEqualTo(List.of("switchboard-data:/data"));
        assertThat(compose.namedVolumes()).containsOnlyKeys(volume, "switchboard-data");
        // The URL names the database service as its host, and the user, password and database the service creates.
        String url = compose.environment("switchboard").get("DATABASE_URL");
        Map<String, String> dbEnv = compose.environment(database);
        String prefix = database.toUpperCase(java.util.Locale.ROOT);
        String databaseName = dbEnv.get(database.equals("postgres") ? "POSTGRES_DB" : prefix + "_DATABASE");
        assertThat(url).contains("://" + dbEnv.get(prefix + "_USER") + ":" + dbEnv.get(prefix + "_PASSWORD") + "@"
                + database + ":").contains("/" + databaseName);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"docker-compose.yml", "docker-compose.postgres.yml", "docker-compose.mariadb.yml",
            "docker-compose.mysql.yml"})
    void eachComposeFileNeedsNoVariableAndKeepsTheGatewaysDataDirectoryOnAVolume(String file) throws Exception {
        ComposeFile compose = ComposeFile.read(ROOT.resolve(file), Map.of());
        // Unset, so the gateway generates both at its first start; still overridable (VARIABLES above).
        assertThat(compose.environment("switchboard")).containsEntry("SWITCHBOARD_SECRET_KEY", "")
                .containsEntry("ADMIN_PASSWORD", "").containsEntry("ADMIN_USER", "admin");
        assertThat(ComposeFile.read(ROOT.resolve(file), VARIABLES).environment("switchboard"))
                .containsEntry("SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY)
                .containsEntry("ADMIN_PASSWORD", "compose-admin-password");
        // The generated key file lives in the image's data directory, which must outlive the container.
        assertThat(ImageDefinition.read(ROOT.resolve("Dockerfile")).environment())
                .containsEntry("SWITCHBOARD_DATA_DIR", "/data");
        assertThat(compose.service("switchboard").get("volumes")).asString().contains("switchboard-data:/data");
    }

    /** Every variable a Compose file reads, with its default, is in docs/deployment.md. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"docker-compose.yml", "docker-compose.postgres.yml", "docker-compose.mariadb.yml",
            "docker-compose.mysql.yml"})
    void everyVariableOfEachComposeFileIsDocumented(String file) throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/deployment.md"), StandardCharsets.UTF_8);
        Matcher variable = Pattern.compile("\\$\\{([A-Z_]+)(?::-([^}]*))?}")
                .matcher(Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8));
        int found = 0;
        while (variable.find()) {
            found++;
            assertThat(doc).as("docs/deployment.md names %s, which %s reads", variable.group(1), file)
                    .contains("`" + variable.group(1) + "`");
            String fallback = variable.group(2);
            if (fallback != null && !fallback.isEmpty() && !fallback.startsWith("$")) {
                assertThat(doc).as("docs/deployment.md gives %s's default in %s", variable.group(1), file)
                        .contains("`" + fallback + "`");
            }
        }
        assertThat(found).as("variables in " + file).isPositive();
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
        // `docker compose up` with nothing set: no .env, no variable.
        Map<String, String> env = containerEnvironment(file, Map.of());
        env.put("DATABASE_URL", LocalDatabase.create(local.get()).rewrite(env.get("DATABASE_URL")));
        Path data = Files.createDirectories(workDir.resolve("data-volume"));
        env.put("SWITCHBOARD_DATA_DIR", data.toString());
        bootAndCheck(env, workDir, engine);
        // No key was set, so the gateway made one in its data directory, on the volume.
        assertThat(data.resolve("switchboard-secret.key")).exists();
    }

    @Test
    void theGatewayBootsOnTheEnvironmentOfTheSqliteComposeFile(@TempDir Path workDir) throws Exception {
        // `docker compose up` with nothing set: no .env, no variable.
        Map<String, String> env = containerEnvironment("docker-compose.yml", Map.of());
        assertThat(env).containsEntry("SWITCHBOARD_SECRET_KEY", "");
        Path data = Files.createDirectories(workDir.resolve("data-volume"));
        env.put("DATABASE_URL", env.get("DATABASE_URL").replace("////data/", "///" + data + "/"));
        env.put("SWITCHBOARD_DATA_DIR", data.toString());
        bootAndCheck(env, workDir, Engine.SQLITE);
        assertThat(data.resolve("switchboard.db")).exists();
        // No key was set, so the gateway made a key file on the volume, beside the database.
        assertThat(data.resolve("switchboard-secret.key")).exists();
    }

    /** The image's environment, overridden by the Compose file's, as the container gets it. */
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
            // Nothing was set: the first start printed the administrator's generated password, and it works.
            Matcher banner = Pattern.compile("Generated administrator password for admin: (\\S+)")
                    .matcher(gateway.log());
            assertThat(banner.find()).as(gateway.log()).isTrue();
            assertThat(gateway.get("/v1/servers", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + banner.group(1)).getBytes(StandardCharsets.UTF_8))).statusCode())
                    .isEqualTo(200);
            assertThat(GatewayProcess.runShell(healthCheck, gateway.environment())).isZero();
            running = gateway.environment();
        }
        // The same check fails once nothing answers, so a pass above means the gateway answered it.
        assertThat(GatewayProcess.runShell(healthCheck, running)).isNotZero();
    }
}
