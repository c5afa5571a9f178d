package dev.switchboard.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Switchboard;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.DatabaseStartupException;
import dev.switchboard.persistence.DatabaseUrl;
import dev.switchboard.persistence.InvalidDatabaseUrlException;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestSecretKeys;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The gateway as an operator starts it: one DATABASE_URL, migrations at startup, health, readiness and metrics. */
@ExtendWith(OutputCaptureExtension.class)
class GatewayStartupTest {

    /** Metrics and everything but /health and /ready need credentials: the administrator's will do. */
    private static final String ADMIN_PASSWORD = "startup-test-password";
    private static final String[] ADMIN = {"Authorization", "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))};

    @EngineTest
    void startsMigratesAndBecomesReadyOnTheEngineItsUrlNames(TestEngine engine, CapturedOutput output) throws Exception {
        String url = engine.newDatabaseUrl();
        try (TestGateway gateway = TestGateway.start(Map.of("DATABASE_URL", url,
                "SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY,

                "ADMIN_PASSWORD", ADMIN_PASSWORD))) {
            HttpResponse<String> ready = gateway.get("/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"READY\"").contains("\"engine\":\"" + engine.engine().id() + "\"")
                    .contains("\"pending\":0");
            assertThat(gateway.get("/health").body()).isEqualTo("{\"status\":\"UP\"}");

            assertThat(gateway.get("/metrics/prometheus").statusCode()).isEqualTo(401);
            String metrics = gateway.get("/metrics/prometheus", ADMIN).body();
            String version = gateway.bean(Database.class).server().version().toString();
            assertThat(metrics).contains("switchboard_database_info{engine=\"" + engine.engine().id()
                    + "\",version=\"" + version + "\"} 1");
            assertThat(metrics).containsPattern("hikaricp_connections_max\\{engine=\"" + engine.engine().id() + "\"");
            assertThat(metrics).containsPattern("jvm_threads_live_threads\\{engine=\"" + engine.engine().id() + "\"");

            HttpResponse<String> missing = gateway.get("/no-such-page", ADMIN);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(output.getOut()).contains("Database: " + engine.engine().displayName())
                .contains(" at " + DatabaseUrl.parse(url).masked())
                .contains("Schema migrated:")
                .doesNotContain("Using generated security password");
        assertThat(output.getAll()).doesNotContain(ADMIN_PASSWORD);
        assertPasswordNeverLogged(url, output);
    }

    @EngineTest
    void withMigrationsSkippedReadinessSaysTheSchemaIsBehindUntilItIsMigrated(TestEngine engine, CapturedOutput output)
            throws Exception {
        String url = engine.newDatabaseUrl();
        try (TestGateway gateway = TestGateway.start(Map.of("DATABASE_URL", url,
                "SWITCHBOARD_SKIP_MIGRATIONS", "true", "SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY))) {
            HttpResponse<String> ready = gateway.get("/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(ready.body()).contains("\"status\":\"NOT_READY\"").contains("the schema is behind");
            assertThat(gateway.get("/health").statusCode()).isEqualTo(200);

            // The migration job runs elsewhere; readiness follows without a restart.
            try (Database job = Database.open(DatabaseSettings.forUrl(url))) {
                new SchemaMigrator(job).migrate();
            }
            assertThat(gateway.get("/ready").statusCode()).isEqualTo(200);
        }
        assertPasswordNeverLogged(url, output);
    }

    @Test
    void aMalformedUrlStopsStartupWithOneClearLineAndNoPassword(CapturedOutput output) {
        String url = "postgresql+asyncpg://admin:Sup3r-Secret@db:5432/registry";
        assertThatThrownBy(() -> TestGateway.start(Map.of("DATABASE_URL", url)))
                .hasRootCauseInstanceOf(InvalidDatabaseUrlException.class);
        assertThat(output.getAll()).contains("DATABASE_URL is not valid (postgresql+asyncpg://admin:****@db:5432/registry)"
                        + ": the driver 'asyncpg' in 'postgresql+asyncpg' is not supported. Accepted forms: ")
                .doesNotContain("Sup3r-Secret")
                .doesNotContain("\tat dev.switchboard");
    }

    @Test
    void theEntryPointRejectsAMalformedUrlInOneLineBeforeStartingAnything() throws Exception {
        ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Switchboard.class.getName());
        java.environment().put("DATABASE_URL", "mysql+aiomysql://app:Sup3r-Secret@db/registry");
        Process process = java.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr.lines().toList()).containsExactly("switchboard: DATABASE_URL is not valid "
                + "(mysql+aiomysql://app:****@db/registry): the driver 'aiomysql' in 'mysql+aiomysql' is not supported. "
                + "Accepted forms: " + DatabaseUrl.ACCEPTED_FORMS + ".");
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anUnreachableServerStopsStartupWithAClearLineAndNoPassword(CapturedOutput output) {
        String url = "postgresql://admin:Sup3r-Secret@127.0.0.1:1/registry";
        assertThatThrownBy(() -> TestGateway.start(Map.of("DATABASE_URL", url)))
                .hasRootCauseInstanceOf(DatabaseStartupException.class);
        assertThat(output.getAll()).contains("Cannot connect to the database at postgresql://admin:****@127.0.0.1:1/registry")
                .doesNotContain("Sup3r-Secret");
    }

    private static void assertPasswordNeverLogged(String url, CapturedOutput output) {
        String password = DatabaseUrl.parse(url).password();
        if (password != null && !password.isEmpty()) {
            assertThat(output.getAll()).doesNotContain(password)
                    .doesNotContain(URLEncoder.encode(password, StandardCharsets.UTF_8));
        }
    }
}
