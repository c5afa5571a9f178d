package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.util.Map;

/** `db doctor` flags what is wrong with the engine's settings, and passes a correctly configured database. */
class DoctorCommandTest {

    @EngineTest
    void aCorrectlyConfiguredDatabasePassesEveryCheck(TestEngine engine) {
        String url = engine.newDatabaseUrl();
        if (engine.engine() == Engine.MARIADB || engine.engine() == Engine.MYSQL) {
            url = withOption(url, "transactionIsolation=READ-COMMITTED"); // what a correctly configured server gives
        }
        Map<String, String> env = Map.of("DATABASE_URL", url);
        CommandRun.db(env, "migrate");
        CommandRun doctor = CommandRun.db(env, "doctor");
        assertThat(doctor.status()).as(doctor.toString()).isZero();
        assertThat(doctor.out()).contains("OK    version").contains("Nothing must change.")
                .doesNotContain("FAIL").doesNotContain("WARN");
    }

    @EngineTest
    void aRepeatableReadSessionAndALatin1DatabaseAreFlaggedWithWhatToChange(TestEngine engine) {
        assumeTrue(engine.engine() == Engine.MARIADB || engine.engine() == Engine.MYSQL,
                "character sets per database and REPEATABLE READ defaults are MariaDB and MySQL matters");
        Map<String, String> env = Map.of("DATABASE_URL",
                withOption(engine.newLatin1DatabaseUrl(), "transactionIsolation=REPEATABLE-READ"));
        CommandRun.db(env, "migrate");
        CommandRun doctor = CommandRun.db(env, "doctor");
        assertThat(doctor.status()).as(doctor.toString()).isEqualTo(1);
        assertThat(doctor.out())
                .containsPattern("FAIL +database character set +latin1")
                .contains("ALTER DATABASE CHARACTER SET utf8mb4")
                .containsPattern("WARN +isolation level +REPEATABLE READ")
                .contains("READ-COMMITTED")
                .contains("Something must change");
    }

    @EngineTest
    void aPoolLargerThanTheServerAllowsIsAFailure(TestEngine engine) {
        assumeTrue(engine.engine() != Engine.SQLITE, "SQLite has no connection limit");
        CommandRun doctor = CommandRun.db(Map.of("DATABASE_URL", engine.newDatabaseUrl(), "DB_POOL_SIZE", "100000",
                "DB_POOL_MIN_IDLE", "1"), "doctor");
        assertThat(doctor.status()).isEqualTo(1);
        assertThat(doctor.out()).containsPattern("FAIL +max_connections vs pool size +\\d+ vs 100000");
    }

    private static String withOption(String url, String option) {
        return url + (url.contains("?") ? "&" : "?") + option;
    }
}
