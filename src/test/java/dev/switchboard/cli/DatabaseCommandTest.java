package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.DatabaseUrl;
import dev.switchboard.persistence.MigrationLockHolder;
import dev.switchboard.testing.Changelog;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.SchemaModel;
import dev.switchboard.testing.TestEngine;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** `db status`, `db migrate` and `db rollback` as an operator runs them, on every engine. */
class DatabaseCommandTest {

    /** How many changesets this build has, and the newest: from the changelog, so a new changeset needs no edit here. */
    private static final int ALL = Changelog.changeSets().size();
    private static final String LAST = Changelog.changeSets().getLast().id();

    @EngineTest
    void statusMigrateRollbackAndMigrateAgainLeaveTheSchemaIdentical(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        Map<String, String> env = Map.of("DATABASE_URL", url);

        CommandRun before = CommandRun.db(env, "status");
        assertThat(before.status()).as(before.toString()).isZero();
        assertThat(before.out()).contains("Engine:    " + engine.engine().displayName())
                .contains("Database:  " + DatabaseUrl.parse(url).masked())
                .contains(ALL + " changesets in this build: 0 applied, " + ALL + " pending")
                .contains("pending  " + LAST);

        assertThat(CommandRun.db(env, "migrate").out()).contains("Applied " + ALL + " changeset(s)");
        String migrated = model(url);
        assertThat(CommandRun.db(env, "migrate").out()).contains("already current");

        CommandRun rollback = CommandRun.db(env, "rollback", "--count", "1", "--yes");
        assertThat(rollback.status()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).contains(LAST).contains("Rolled back 1 changeset(s).");
        assertThat(CommandRun.db(env, "status").out()).contains((ALL - 1) + " applied, 1 pending")
                .contains("pending  " + LAST);

        assertThat(CommandRun.db(env, "migrate").status()).isZero();
        assertThat(model(url)).isEqualTo(migrated);
        String password = DatabaseUrl.parse(url).password();
        if (password != null && !password.isEmpty()) {
            assertThat(before.out() + rollback.out()).doesNotContain(password);
        }
    }

    @EngineTest
    void rollbackAsksFirstAndAnythingButYesChangesNothing(TestEngine engine) {
        Map<String, String> env = Map.of("DATABASE_URL", engine.newDatabaseUrl());
        CommandRun.db(env, "migrate");

        CommandRun unattended = CommandRun.db(env, "rollback", "--count", "2");
        assertThat(unattended.status()).isEqualTo(1);
        assertThat(unattended.err()).contains("not confirmed");
        CommandRun declined = CommandRun.db(env, true, "no\n", "rollback", "--count", "2");
        assertThat(declined.status()).isEqualTo(1);
        assertThat(declined.out()).contains("Type 'yes' to roll back");
        assertThat(CommandRun.db(env, "status").out()).contains(ALL + " applied, 0 pending");

        CommandRun accepted = CommandRun.db(env, true, "yes\n", "rollback", "--count", "2");
        assertThat(accepted.status()).as(accepted.toString()).isZero();
        assertThat(CommandRun.db(env, "status").out()).contains((ALL - 2) + " applied, 2 pending");
        assertThat(CommandRun.db(env, "rollback", "--count", String.valueOf(ALL - 1), "--yes").err())
                .contains("only " + (ALL - 2) + " changeset(s) are applied");
    }

    @EngineTest
    void rollbackRefusesWhileAnotherProcessHoldsTheMigrationLock(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        try (Database db = Database.open(DatabaseSettings.forUrl(url))) {
            new dev.switchboard.persistence.SchemaMigrator(db).migrate();
        }
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MigrationLockHolder.class.getName(), url)
                .redirectErrorStream(true).start();
        try {
            awaitLocked(holder.getInputStream());
            CommandRun refused = CommandRun.db(Map.of("DATABASE_URL", url), "rollback", "--count", "1", "--yes");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).contains("another process holds the migration lock");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(CommandRun.db(Map.of("DATABASE_URL", url), "status").out()).contains(ALL + " applied, 0 pending");
    }

    @Test
    void mistakesInTheCommandLineExitWithStatus2AndTheUsage() {
        Map<String, String> env = Map.of();
        for (String[] args : new String[][] {{}, {"frobnicate"}, {"rollback"}, {"rollback", "--count", "x"},
                {"copy", "--from", "sqlite:///a.db"}, {"status", "--verbse"}, {"status", "extra"}}) {
            CommandRun run = CommandRun.db(env, args);
            assertThat(run.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).startsWith("switchboard db: ").contains("Usage: java -jar switchboard.jar db");
        }
        CommandRun badUrl = CommandRun.db(Map.of("DATABASE_URL", "oracle://u:Secret-1@h/db"), "status");
        assertThat(badUrl.status()).isEqualTo(1);
        assertThat(badUrl.err()).startsWith("switchboard db: DATABASE_URL is not valid").doesNotContain("Secret-1");
        assertThat(badUrl.err().lines()).hasSize(1);
    }

    private static String model(String url) throws Exception {
        try (Database db = Database.open(DatabaseSettings.forUrl(url))) {
            return SchemaModel.read(db, db.server().engine()).render();
        }
    }

    private static void awaitLocked(InputStream output) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.equals("LOCKED")) {
                return;
            }
        }
        throw new AssertionError("the lock holder ended without taking the lock");
    }
}
