package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Switchboard;
import dev.switchboard.catalog.ListQuery;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.Engine;
import dev.switchboard.persistence.RegistrySchema;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.RegistryDump;
import dev.switchboard.testing.RegistryFixture;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `db copy` between engines: a full round trip, an interrupted copy, and a target that already holds data. */
class CopyCommandTest {

    /** Every table in the schema is copied and verified, the empty ones too. */
    private static final int TABLES = RegistrySchema.tables().size();

    @TempDir
    Path folder;

    @Tag(TestEngines.TAG)
    @Test
    void aRegistryCopiedThroughEveryEngineAndBackToSqliteEndsIdenticalAndTheSourceIsUntouched() throws Exception {
        String first = sqliteUrl("first");
        RegistryDump original;
        try (Database db = migrated(first)) {
            RegistryFixture.populate(db, 400, 3000);
            original = RegistryDump.of(db);
        }
        assertThat(original.rows()).isGreaterThan(5000);

        List<String> chain = new ArrayList<>(List.of(first));
        TestEngines.all().stream().filter(e -> e.engine() != Engine.SQLITE)
                .sorted(Comparator.comparing(e -> e.engine() == Engine.MARIADB ? 0 : 1)) // SQLite → MariaDB → PostgreSQL
                .forEach(e -> chain.add(e.newDatabaseUrl()));
        String last = sqliteUrl("last");
        chain.add(last);
        for (int hop = 1; hop < chain.size(); hop++) {
            CommandRun copy = CommandRun.db(Map.of(), "copy", "--from", chain.get(hop - 1), "--to", chain.get(hop));
            assertThat(copy.status()).as(copy.toString()).isZero();
            assertThat(copy.out()).contains("Verified " + TABLES + " tables and " + original.rows() + " rows");
        }

        try (Database end = Database.open(DatabaseSettings.forUrl(last));
             Database start = Database.open(DatabaseSettings.forUrl(first))) {
            assertThat(RegistryDump.of(end).differencesFrom(original)).isEmpty();
            assertThat(RegistryDump.of(start).differencesFrom(original)).as("the source is untouched").isEmpty();
        }
    }

    @EngineTest
    void aCopyKilledInTheMiddleOfATableCompletesWhenRunAgain(TestEngine engine) throws Exception {
        String source = sqliteUrl("big");
        int metrics = 30_000;
        try (Database db = migrated(source)) {
            RegistryFixture.populate(db, 40, metrics);
        }
        String target = engine.newDatabaseUrl();
        Process copy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Switchboard.class.getName(), "db", "copy",
                "--from", source, "--to", target, "--batch-size", "5").redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(copy.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.startsWith("invocation_metric ") && line.contains("copying")) {
                    Thread.sleep(400); // the copy reports no progress: time passes so it is partway into the table
                    copy.destroyForcibly();
                    break;
                }
            }
        }
        assertThat(copy.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.toString()).as("the copy reached the big table before it was killed")
                .contains("invocation_metric          copying " + metrics + " rows");

        try (Database half = Database.open(DatabaseSettings.forUrl(target))) {
            assertThat(count(half, "invocation_metric")).as("the interrupted table was rolled back whole").isZero();
            assertThat(count(half, "tool")).as("tables before it were complete").isEqualTo(40);
        }
        CommandRun again = CommandRun.db(Map.of(), "copy", "--from", source, "--to", target);
        assertThat(again.status()).as(again.toString()).isZero();
        assertThat(again.out()).contains("tool                       already copied (40 rows)")
                .contains("Verified " + TABLES + " tables");
        try (Database done = Database.open(DatabaseSettings.forUrl(target))) {
            assertThat(count(done, "invocation_metric")).isEqualTo(metrics);
        }
    }

    @EngineTest
    void aTargetHoldingOtherDataIsRefusedUnlessTruncateIsGiven(TestEngine engine) throws Exception {
        String source = sqliteUrl("small");
        try (Database db = migrated(source)) {
            RegistryFixture.populate(db, 20, 50);
        }
        String target = engine.newDatabaseUrl();
        assertThat(CommandRun.db(Map.of(), "copy", "--from", source, "--to", target).status()).isZero();
        CommandRun idempotent = CommandRun.db(Map.of(), "copy", "--from", source, "--to", target);
        assertThat(idempotent.status()).as(idempotent.toString()).isZero();
        assertThat(idempotent.out()).contains("already copied").doesNotContain("copying");

        try (Database db = Database.open(DatabaseSettings.forUrl(target))) {
            ToolRepository tools = new ToolRepository(db.transactions());
            tools.delete(tools.list(ListQuery.first(1)).items().getFirst().id());
        }
        CommandRun refused = CommandRun.db(Map.of(), "copy", "--from", source, "--to", target);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("The target already holds other data (in tool").contains("--truncate");
        try (Database db = Database.open(DatabaseSettings.forUrl(target))) {
            assertThat(count(db, "tool")).as("a refused copy writes nothing").isEqualTo(19);
        }

        CommandRun replaced = CommandRun.db(Map.of(), "copy", "--from", source, "--to", target, "--truncate");
        assertThat(replaced.status()).as(replaced.toString()).isZero();
        try (Database db = Database.open(DatabaseSettings.forUrl(target))) {
            assertThat(count(db, "tool")).isEqualTo(20);
        }
    }

    @Test
    void aSourceWhoseSchemaIsBehindIsRefusedAndLeftAlone() throws Exception {
        String source = sqliteUrl("behind");
        try (Database db = Database.open(DatabaseSettings.forUrl(source))) {
            new SchemaMigrator(db).migrate();
            new SchemaMigrator(db).rollback(1);
        }
        CommandRun refused = CommandRun.db(Map.of(), "copy", "--from", source, "--to", sqliteUrl("target"));
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("The source schema is not at this build's version (1 changesets pending");
    }

    private String sqliteUrl(String name) throws Exception {
        Path dir = Files.createDirectories(folder.resolve(name));
        return "sqlite:///" + dir.resolve("registry.db").toAbsolutePath();
    }

    private static Database migrated(String url) {
        Database db = Database.open(DatabaseSettings.forUrl(url));
        new SchemaMigrator(db).migrate();
        return db;
    }

    private static int count(Database db, String table) {
        return db.transactions().read(dsl -> dsl.fetchCount(Columns.table(table)));
    }
}
