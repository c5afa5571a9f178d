package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Migrations run once however many processes start together, and a killed migrator blocks nobody. */
class ConcurrentMigrationTest {

    /**
     * Several rounds on SQLite, where a start takes a second: a connection opened while the other migrator set up
     * its own failed busy at once there (once in CI), which opening now tries again.
     */
    @EngineTest
    void twoMigratorsStartingTogetherApplyEachChangesetOnceAndBothSucceed(TestEngine engine) throws Exception {
        int rounds = Dialect.of(engine.engine()).embedded() ? 5 : 1;
        for (int round = 0; round < rounds; round++) {
            migrateTogether(engine.newDatabaseUrl());
        }
    }

    private static void migrateTogether(String url) throws Exception {
        try (Database first = Database.open(DatabaseSettings.forUrl(url));
             Database second = Database.open(DatabaseSettings.forUrl(url));
             ExecutorService pool = Executors.newFixedThreadPool(2)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> runs = new ArrayList<>();
            for (Database db : List.of(first, second)) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return new SchemaMigrator(db).migrate();
                }));
            }
            start.countDown();
            int applied = runs.get(0).get(2, TimeUnit.MINUTES) + runs.get(1).get(2, TimeUnit.MINUTES);

            SchemaMigrator migrator = new SchemaMigrator(first);
            int known = migrator.knownChangesets().size();
            assertThat(applied).isEqualTo(known);
            List<String> history = first.transactions().read(dsl -> dsl
                    .resultQuery("SELECT ID FROM DATABASECHANGELOG").fetch().map(r -> r.get(0, String.class)));
            assertThat(history).hasSize(known).doesNotHaveDuplicates();
            assertThat(migrator.status().current()).isTrue();
            assertThat(new SchemaMigrator(second).status().current()).isTrue();
        }
    }

    @EngineTest
    void aMigratorKilledWhileHoldingTheLockDoesNotBlockTheNextStart(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        Process holder = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                MigrationLockHolder.class.getName(), url).redirectErrorStream(true).start();
        try {
            awaitLine(holder, "LOCKED", Duration.ofSeconds(60));
            DatabaseSettings impatient = DatabaseSettings.forUrl(url).withMigrationLockTimeout(Duration.ofSeconds(1));
            try (Database blocked = Database.open(impatient)) {
                assertThatThrownBy(() -> new SchemaMigrator(blocked).migrate())
                        .isInstanceOf(MigrationException.class).hasMessageContaining("migration lock");
            }
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (Database next = Database.open(DatabaseSettings.forUrl(url))) {
            SchemaMigrator migrator = new SchemaMigrator(next);
            assertThat(migrator.migrate()).isEqualTo(migrator.knownChangesets().size());
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void awaitLine(Process process, String expected, Duration timeout) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> seen = reader.submit(() -> {
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                StringBuilder all = new StringBuilder();
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals(expected)) {
                        return true;
                    }
                    all.append(line).append('\n');
                }
                throw new AssertionError("the lock holder ended without taking the lock:\n" + all);
            });
            assertThat(seen.get(timeout.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        } finally {
            reader.shutdownNow();
        }
    }
}
