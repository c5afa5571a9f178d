package dev.switchboard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.Engine;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The job runner: once per slot across replicas, only jobs a replica has code for, and a clean stop. */
class SharedJobsTest {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    @EngineTest
    void twoReplicasRunAJobExactlyOncePerSlot(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        // Each replica has its own pool; SQLite serves one process, so there both share its one database file.
        try (Database first = Database.open(DatabaseSettings.forUrl(url));
             Database second = Database.open(DatabaseSettings.forUrl(url))) {
            new SchemaMigrator(first).migrate();
            List<Instant> runs = Collections.synchronizedList(new ArrayList<>());
            List<String> runners = Collections.synchronizedList(new ArrayList<>());
            SharedJobs a = runner(first);
            SharedJobs b = runner(second);
            a.schedule("tick", INTERVAL, () -> {
                runs.add(Instant.now());
                runners.add("a");
            });
            b.schedule("tick", INTERVAL, () -> {
                runs.add(Instant.now());
                runners.add("b");
            });
            a.start();
            b.start();
            // Twenty slots' worth of runs, however long a loaded machine takes; a slot skipped still fails below.
            await().atMost(INTERVAL.multipliedBy(20 * 3).plusSeconds(30)).until(() -> runs.size() >= 20);
            a.stop();
            b.stop();

            JobLeaseRepository leases = new JobLeaseRepository(first.transactions());
            Instant next = leases.nextRunAt("tick");
            List<Long> slots = runs.stream().map(t -> slotOf(t, next)).toList();
            assertThat(runs).hasSizeGreaterThanOrEqualTo(17);
            assertThat(leases.runCount("tick")).isEqualTo(runs.size());
            // Slots are counted back from the next one due: the last run was in slot -1, the first in -size.
            assertThat(slots).doesNotHaveDuplicates().isSorted();
            assertThat(slots.getLast()).isEqualTo(-1);
            assertThat(slots.getFirst()).isEqualTo(-runs.size());
            if (engine.engine() != Engine.SQLITE) {
                assertThat(runners).contains("a", "b");
            }
        }
    }

    @EngineTest
    void aReplicaDoesNotClaimAJobItHasNoCodeFor(TestEngine engine) throws Exception {
        JobLeaseRepository leases = new JobLeaseRepository(engine.shared().transactions());
        String foreign = "foreign-" + System.nanoTime();
        leases.register(foreign, Instant.now().minusSeconds(1));
        AtomicInteger mine = new AtomicInteger();
        SharedJob bean = new SharedJob() {
            @Override
            public String name() {
                return "mine-" + foreign;
            }

            @Override
            public Duration interval() {
                return INTERVAL;
            }

            @Override
            public void run() {
                mine.incrementAndGet();
            }
        };
        SharedJobs runner = new SharedJobs(leases, List.of(bean), new JobSettings(Duration.ofMillis(50), Duration.ofSeconds(10)));
        long before = System.nanoTime();
        runner.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> mine.get() >= 4);
        runner.stop();
        Duration ran = Duration.ofNanos(System.nanoTime() - before);

        // Its own job runs once per slot: at least the four waited for, and never more than the slots that began.
        long slots = ran.toNanos() / INTERVAL.toNanos() + 1;
        assertThat((long) mine.get()).isBetween(4L, slots);
        assertThat(leases.runCount(bean.name())).isEqualTo(mine.get());
        assertThat(leases.runCount(foreign)).isZero();
        // Unclaimed: a replica that has code for it takes it at once.
        assertThat(leases.claim("other", List.of(foreign), Duration.ofSeconds(5))).extracting(c -> c.name())
                .containsExactly(foreign);
    }

    @EngineTest
    void stopLetsARunFinishAndCompleteItsLeaseThenRunsNothingMore(TestEngine engine) throws Exception {
        JobLeaseRepository leases = new JobLeaseRepository(engine.shared().transactions());
        String name = "slow-" + System.nanoTime();
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        SharedJobs runner = new SharedJobs(leases, List.of(), new JobSettings(Duration.ofMillis(50), Duration.ofSeconds(10)));
        runner.schedule(name, Duration.ofHours(1), () -> {
            runs.incrementAndGet();
            started.countDown();
            sleep(300);
        });
        runner.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        long before = System.nanoTime();
        runner.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        assertThat(runner.isRunning()).isFalse();
        assertThat(leases.runCount(name)).isEqualTo(1);
        assertThat(leases.nextRunAt(name)).isAfter(Instant.now().plus(Duration.ofMinutes(50)));

        runner.schedule(name + "-after", INTERVAL, runs::incrementAndGet);
        // Nothing may happen: time must pass, three slots of the new job, for a run to show if there were one.
        await().during(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(3).plusSeconds(5))
                .until(() -> runs.get() == 1);
        assertThat(runs.get()).isEqualTo(1);
    }

    @EngineTest
    void cancelDeletesTheRowSoNoReplicaRunsItAgain(TestEngine engine) throws Exception {
        JobLeaseRepository leases = new JobLeaseRepository(engine.shared().transactions());
        String name = "cancelled-" + System.nanoTime();
        SharedJobs runner = new SharedJobs(leases, List.of(), new JobSettings(Duration.ofMillis(50), Duration.ofSeconds(10)));
        runner.schedule(name, INTERVAL, () -> { });
        assertThat(leases.runCount(name)).isZero();
        assertThat(runner.cancel(name)).isTrue();
        assertThat(leases.runCount(name)).isEqualTo(-1);
        assertThat(leases.namesStartingWith("cancelled-")).doesNotContain(name);
        assertThat(runner.names()).doesNotContain(name);
    }

    @EngineTest
    void aBurstOfAsksOnTwoReplicasIsOneRunAndAnAskDuringARunIsOneMore(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        try (Database first = Database.open(DatabaseSettings.forUrl(url));
             Database second = Database.open(DatabaseSettings.forUrl(url))) {
            new SchemaMigrator(first).migrate();
            SharedJobs a = runner(first);
            SharedJobs b = runner(second);
            a.start();
            b.start();
            try {
                String name = "once-" + System.nanoTime();
                AtomicInteger runs = new AtomicInteger();
                CountDownLatch running = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Runnable work = () -> {
                    if (runs.incrementAndGet() == 1) {
                        running.countDown();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
                // A burst on both replicas: one run, a debounce after the first ask.
                for (int i = 0; i < 3; i++) {
                    a.runOnce(name, INTERVAL, work);
                    b.runOnce(name, INTERVAL, work);
                }
                assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
                // Asked again while it runs: it may have started before what the ask is about, so one more run.
                a.runOnce(name, INTERVAL, work);
                b.runOnce(name, INTERVAL, work);
                release.countDown();
                await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
                JobLeaseRepository leases = new JobLeaseRepository(first.transactions());
                // Then no run is wanted: the row goes, and nothing more runs.
                await().atMost(Duration.ofSeconds(10)).until(() -> leases.nextRunAt(name) == null);
                await().during(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(3).plusSeconds(5))
                        .until(() -> runs.get() == 2);
            } finally {
                a.stop();
                b.stop();
            }
        }
    }

    @Test
    void missedSlotsAreSkippedNotMadeUp() {
        Instant due = Instant.parse("2026-01-01T00:00:00Z");
        Duration thirty = Duration.ofSeconds(30);
        assertThat(SharedJobs.nextSlot(due, thirty, due.plusMillis(5))).isEqualTo(due.plusSeconds(30));
        assertThat(SharedJobs.nextSlot(due, thirty, due.minusMillis(5))).isEqualTo(due.plusSeconds(30));
        // Down for ten minutes: one run now, the next at the first slot after the claim.
        assertThat(SharedJobs.nextSlot(due, thirty, due.plusSeconds(601))).isEqualTo(due.plusSeconds(630));
        assertThat(SharedJobs.nextSlot(due, thirty, due.plusSeconds(600))).isEqualTo(due.plusSeconds(630));
    }

    private static SharedJobs runner(Database db) {
        return new SharedJobs(new JobLeaseRepository(db.transactions()), List.of(), new JobSettings(Duration.ofSeconds(1), Duration.ofSeconds(10)));
    }

    /** The slot {@code t} falls in, counted from the slot starting at {@code next} (0) backwards. */
    private static long slotOf(Instant t, Instant next) {
        return Math.floorDiv(Duration.between(next, t).toNanos(), INTERVAL.toNanos());
    }

    /** A run that takes time: what stop() must let finish. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
