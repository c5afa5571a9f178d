package dev.switchboard.deploy;

import static dev.switchboard.deploy.HelmChart.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.Changelog;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestSecretKeys;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The gateway started with the environment the rendered Deployment (and the Secrets it reads) give its
 * container, against the run's local engines, and probed on the paths the chart's probes use.
 *
 * <p>Nothing in DATABASE_URL is rewritten: the chart's db values name the local database, its user and its
 * password (which holds characters a URL must encode). The only change is SERVER_PORT, set to a free port.
 */
class ChartDeploymentTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)|\\$\\$");

    @Tag(TestEngines.TAG)
    @ParameterizedTest(name = "db.type={0}, migration.mode={2}")
    @CsvSource({"postgresql, POSTGRESQL, startup", "postgresql, POSTGRESQL, job", "mariadb, MARIADB, startup",
            "mariadb, MARIADB, job", "mysql, MYSQL, startup"})
    void podsBecomeReadyOnTheEnvironmentTheChartGivesThem(String type, Engine engine, String mode,
            @TempDir Path workDir) throws Exception {
        Optional<TestEngine> local = LocalDatabase.inRun(engine);
        // MySQL runs only where SWITCHBOARD_TEST_MYSQL_URL names a server; the others are always in a full run.
        assumeTrue(local.isPresent(), engine.id() + " is not among this run's engines");
        LocalDatabase db = LocalDatabase.create(local.get());
        HelmChart.Manifests manifests = HelmChart.render("""
                replicaCount: 2
                db: {type: %s, host: "%s", port: %d, name: "%s", user: "%s", password: "%s"}
                secretKey: "%s"
                admin: {password: chart-admin-password}
                migration: {mode: %s}
                """.formatted(type, db.host(), db.port(), db.name(), db.user(), db.password(), TestSecretKeys.KEY,
                mode));

        if (mode.equals("job")) {
            // The migration Job runs its own command with its own environment, as the pre-upgrade hook would.
            Map<String, Object> job = manifests.one("Job");
            List<String> command = path(job, "spec", "template", "spec", "containers", 0, "command");
            assertThat(command.subList(0, 3)).containsExactly("java", "-jar", "/app/switchboard.jar");
            GatewayProcess.Finished migrate = GatewayProcess.run(containerEnvironment(manifests, job, Map.of()),
                    workDir, command.subList(3, command.size()));
            assertThat(migrate.status()).as(migrate.output()).isZero();
            assertThat(migrate.output()).contains("Applied " + Changelog.changeSets().size()
                    + " changeset(s); the schema is current.");
        }
        String log = bootAndProbe(manifests, Map.of(), workDir, engine);
        if (mode.equals("job")) {
            assertThat(log).contains("SWITCHBOARD_SKIP_MIGRATIONS is set").doesNotContain("Schema migrated:");
        } else {
            assertThat(log).contains("Schema migrated:");
        }
    }

    @Tag(TestEngines.TAG)
    @Test
    void aPodReadsItsPasswordFromAnExistingSecret(@TempDir Path workDir) throws Exception {
        Optional<TestEngine> local = LocalDatabase.inRun(Engine.POSTGRESQL);
        assumeTrue(local.isPresent(), "postgresql is not among this run's engines");
        LocalDatabase db = LocalDatabase.create(local.get());
        HelmChart.Manifests manifests = HelmChart.render("""
                db: {type: postgresql, host: "%s", port: %d, name: "%s", user: "%s", existingSecret: registry-db}
                existingSecret: registry-db
                """.formatted(db.host(), db.port(), db.name(), db.user()));
        // The Secret holds the password as it is, reserved characters and all: it reaches DATABASE_PASSWORD.
        // The same Secret holds the gateway's key and the admin's credentials.
        Map<String, String> secret = Map.of("password", db.password(), "SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY,
                "ADMIN_USER", "admin", "ADMIN_PASSWORD", "from-an-existing-secret");
        bootAndProbe(manifests, Map.of("registry-db", secret), workDir, Engine.POSTGRESQL);

        // A Secret without the key would stop the kubelet from starting the container at all.
        Map<String, String> keyless = new LinkedHashMap<>(secret);
        keyless.remove("SWITCHBOARD_SECRET_KEY");
        assertThatThrownBy(() -> containerEnvironment(manifests, manifests.one("Deployment"),
                Map.of("registry-db", keyless))).hasMessageContaining("Secret registry-db has key SWITCHBOARD_SECRET_KEY");
    }

    @Tag(TestEngines.TAG)
    @Test
    void withoutItsKeyAPostgresPodHasNowhereToKeepAKeyFileAndFailsToBootWithOneLine(@TempDir Path workDir)
            throws Exception {
        Optional<TestEngine> local = LocalDatabase.inRun(Engine.POSTGRESQL);
        assumeTrue(local.isPresent(), "postgresql is not among this run's engines");
        LocalDatabase db = LocalDatabase.create(local.get());
        HelmChart.Manifests manifests = HelmChart.render("""
                db: {type: postgresql, host: "%s", port: %d, name: "%s", user: "%s", password: "%s"}
                secretKey: "%s"
                """.formatted(db.host(), db.port(), db.name(), db.user(), db.password(), TestSecretKeys.KEY));
        // values.schema.json refuses to render without secretKey; this is what the gateway itself would do. A server
        // engine's pod mounts no data volume, and its root file system is read-only, so the image's data directory
        // cannot take a generated key file: here, a path under a regular file stands in for it.
        Map<String, String> env = containerEnvironment(manifests, manifests.one("Deployment"), Map.of());
        assertThat(env).containsEntry("SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY)
                .containsEntry("SWITCHBOARD_DATA_DIR", "/data");
        assertThat((List<Map<String, Object>>) path(manifests.one("Deployment"), "spec", "template", "spec",
                "containers", 0, "volumeMounts")).noneSatisfy(m -> assertThat(m).containsEntry("mountPath", "/data"));
        env.remove("SWITCHBOARD_SECRET_KEY");
        Path unwritable = Files.writeString(workDir.resolve("read-only-root"), "");
        env.put("SWITCHBOARD_DATA_DIR", unwritable.resolve("data").toString());
        assertThatThrownBy(() -> GatewayProcess.start(env, workDir).close())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the gateway exited with 1")
                .hasMessageContaining(" the key file " + unwritable.resolve("data/switchboard-secret.key") + ": ")
                .hasMessageContaining("SWITCHBOARD_SECRET_KEY").hasMessageContaining("(make one with: openssl rand "
                        + "-base64 32)\n")
                .satisfies(e -> assertThat(e.getMessage().lines()).noneMatch(l -> l.matches("\\s+at .*")));
    }

    @Test
    void aSqlitePodBecomesReadyWithItsDatabaseOnTheClaimedVolume(@TempDir Path workDir) throws Exception {
        HelmChart.Manifests manifests = HelmChart.render("{}");
        Path volume = Files.createDirectories(workDir.resolve("pvc"));
        Map<String, String> env = containerEnvironment(manifests, manifests.one("Deployment"), Map.of());
        env.put("DATABASE_URL", env.get("DATABASE_URL").replace("////data/", "///" + volume + "/"));
        String log = probe(manifests, env, workDir, Engine.SQLITE);
        assertThat(volume.resolve("switchboard.db")).exists();
        // No admin.password was given: the pod printed the one it generated, once.
        assertThat(log).containsOnlyOnce("Generated administrator password for admin: ");
        // No secretKey was given: the generated key file sits on the claimed volume, beside the database.
        assertThat(volume.resolve("switchboard-secret.key")).exists();
    }

    private static String bootAndProbe(HelmChart.Manifests manifests, Map<String, Map<String, String>> existingSecrets,
            Path workDir, Engine engine) throws Exception {
        return probe(manifests, containerEnvironment(manifests, manifests.one("Deployment"), existingSecrets), workDir,
                engine);
    }

    private static String probe(HelmChart.Manifests manifests, Map<String, String> env, Path workDir, Engine engine)
            throws Exception {
        Map<String, Object> container = path(manifests.one("Deployment"), "spec", "template", "spec", "containers", 0);
        assertThat((String) path(container, "ports", 0, "name")).isEqualTo("http");
        assertThat((Integer) path(container, "ports", 0, "containerPort")).isEqualTo(8080);
        try (GatewayProcess gateway = GatewayProcess.start(env, workDir)) {
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat((String) path(container, probe, "httpGet", "port")).isEqualTo("http");
                String probePath = path(container, probe, "httpGet", "path");
                // The kubelet counts 200-399 as success.
                assertThat(gateway.get(probePath).statusCode()).as(probe + " " + probePath + "\n" + gateway.log())
                        .isBetween(200, 399);
            }
            assertThat(gateway.get("/ready").body()).contains("\"engine\":\"" + engine.id() + "\"");
            return gateway.log();
        }
    }

    /**
     * A container's environment as the kubelet builds it: the image's ENV, then the env entries in order, each
     * value taken literally, from a Secret, from the pod's IP, or with $(NAME) references to earlier entries
     * expanded.
     */
    static Map<String, String> containerEnvironment(HelmChart.Manifests manifests, Map<String, Object> workload,
            Map<String, Map<String, String>> existingSecrets) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(ImageDefinition.read(ROOT.resolve("Dockerfile")).environment());
        Map<String, String> defined = new LinkedHashMap<>();
        List<Map<String, Object>> entries = path(workload, "spec", "template", "spec", "containers", 0, "env");
        for (Map<String, Object> entry : entries) {
            String name = (String) entry.get("name");
            String value;
            if (entry.containsKey("value")) {
                value = expand((String) entry.get("value"), defined);
            } else if (path(entry, "valueFrom", "fieldRef") != null) {
                // The pod's own fields: its IP is where the other pods reach it, here the loopback address.
                assertThat((String) path(entry, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("status.podIP");
                value = "127.0.0.1";
            } else {
                String secret = path(entry, "valueFrom", "secretKeyRef", "name");
                String key = path(entry, "valueFrom", "secretKeyRef", "key");
                Map<String, String> data = existingSecrets.containsKey(secret) ? existingSecrets.get(secret)
                        : manifests.secret(secret);
                value = data.get(key);
                if (value == null && Boolean.TRUE.equals(path(entry, "valueFrom", "secretKeyRef", "optional"))) {
                    continue; // an optional key that is absent leaves the variable unset
                }
                assertThat(value).as("Secret " + secret + " has key " + key).isNotNull();
            }
            defined.put(name, value);
            env.put(name, value);
        }
        return env;
    }

    private static String expand(String value, Map<String, String> defined) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(1) == null ? "$" : defined.getOrDefault(m.group(1), m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }
}
