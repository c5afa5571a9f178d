package dev.switchboard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Claims through FOR UPDATE SKIP LOCKED: concurrent claimers never share a job, and nothing due is left behind. */
class JobLeaseRepositoryTest {

    @EngineTest
    void concurrentClaimersFromSeparatePoolsNeverClaimTheSameJob(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        int jobs = 60;
        int claimers = 4;
        List<String> claimed = Collections.synchronizedList(new ArrayList<>());
        // Each claimer is its own "replica": its own pool, its own sessions.
        List<Database> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < claimers; i++) {
                replicas.add(Database.open(DatabaseSettings.forUrl(url)));
            }
            new SchemaMigrator(replicas.getFirst()).migrate();
            JobLeaseRepository registrar = new JobLeaseRepository(replicas.getFirst().transactions());
            String prefix = "job-" + System.nanoTime() + "-";
            for (int i = 0; i < jobs; i++) {
                registrar.register(prefix + i, Instant.now().minusSeconds(1));
            }
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(claimers)) {
                List<Future<Integer>> workers = new ArrayList<>();
                for (int w = 0; w < claimers; w++) {
                    JobLeaseRepository leases = new JobLeaseRepository(replicas.get(w).transactions());
                    String owner = "replica-" + w;
                    workers.add(pool.submit(() -> {
                        start.await();
                        int mine = 0;
                        for (List<String> batch; !(batch = leases.claimDue(owner, 3, Duration.ofMinutes(5))).isEmpty(); ) {
                            claimed.addAll(batch);
                            for (String job : batch) {
                                assertThat(leases.complete(job, owner, Instant.now().plus(Duration.ofHours(1)))).isTrue();
                            }
                            mine += batch.size();
                        }
                        return mine;
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> w : workers) {
                    total += w.get(2, TimeUnit.MINUTES);
                }
                assertThat(total).isEqualTo(jobs);
            }
            assertThat(claimed).hasSize(jobs).doesNotHaveDuplicates();
            assertThat(registrar.runCount(prefix + 0)).isEqualTo(1);
        } finally {
            replicas.forEach(Database::close);
        }
    }

    @EngineTest
    void anExpiredLeaseFreesTheJobAndTheOldOwnerCannotCompleteIt(TestEngine engine) throws Exception {
        JobLeaseRepository leases = new JobLeaseRepository(engine.shared().transactions());
        String job = "lease-" + System.nanoTime();
        leases.register(job, Instant.now().minusSeconds(1));
        leases.register(job, Instant.now().plusSeconds(3600)); // registering again keeps the schedule

        // Long enough not to lapse before b's first claim on a loaded machine; short enough to wait out.
        Duration lease = Duration.ofSeconds(2);
        assertThat(leases.claimDue("a", 100, lease)).contains(job);
        Instant lapsed = Instant.now().plus(lease); // a's lease ends before this: it began before the line above
        assertThat(leases.claimDue("b", 100, Duration.ofMinutes(5))).doesNotContain(job);
        // The lease must run out by the clock the claims read (this JVM's): wait until it has.
        await().atMost(lease.plusSeconds(10)).until(() -> Instant.now().isAfter(lapsed));
        assertThat(leases.claimDue("b", 100, Duration.ofMinutes(5))).contains(job);
        assertThat(leases.complete(job, "a", Instant.now())).isFalse();
        assertThat(leases.complete(job, "b", Instant.now().plusSeconds(60))).isTrue();
        assertThat(leases.claimDue("c", 100, Duration.ofMinutes(5))).doesNotContain(job);
        assertThat(leases.runCount(job)).isEqualTo(1);
    }

    @EngineTest
    void aClaimTakesOnlyTheNamedJobsAndAPrefixIsMatchedLiterally(TestEngine engine) {
        JobLeaseRepository leases = new JobLeaseRepository(engine.shared().transactions());
        String stamp = String.valueOf(System.nanoTime());
        String known = "p_x" + stamp + "-known";
        String lookalike = "pyx" + stamp + "-other";
        Instant due = Instant.parse("2026-01-02T03:04:05.123456Z");
        leases.register(known, due);
        leases.register(lookalike, due);
        // More names than one statement may bind on some engines: they go in chunks.
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            names.add("absent-" + stamp + "-" + i);
        }
        names.add(known);

        List<JobLeaseRepository.Claim> claims = leases.claim("me", names, Duration.ofMinutes(1));
        assertThat(claims).extracting(JobLeaseRepository.Claim::name).containsExactly(known);
        assertThat(claims.getFirst().dueAt()).isEqualTo(due);
        assertThat(claims.getFirst().claimedAt()).isAfter(due);
        assertThat(leases.namesStartingWith("p_x" + stamp)).containsExactly(known);
        assertThat(leases.delete(lookalike)).isTrue();
        assertThat(leases.delete(lookalike)).isFalse();
        assertThat(leases.nextRunAt(lookalike)).isNull();
    }

    @EngineTest
    void completingManyRunsAtOnceSchedulesEachAndSkipsTheLeasesLost(TestEngine engine) {
        JobLeaseRepository leases = new JobLeaseRepository(engine.shared().transactions());
        String prefix = "batch-" + System.nanoTime() + "-";
        Instant due = Instant.now().minusSeconds(1);
        // More completions than one statement takes, so they go in chunks.
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 650; i++) {
            names.add(prefix + i);
            leases.register(prefix + i, due);
        }
        assertThat(leases.claim("a", names, Duration.ofMinutes(5))).hasSize(650);
        String lost = prefix + 7;
        assertThat(leases.complete(lost, "a", Instant.now())).isTrue();
        assertThat(leases.claim("b", List.of(lost), Duration.ofMinutes(5))).hasSize(1);

        Instant base = Instant.parse("2030-01-02T03:04:05.123456Z");
        List<JobLeaseRepository.Completion> completions = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            completions.add(new JobLeaseRepository.Completion(names.get(i), base.plusSeconds(i)));
        }
        assertThat(leases.complete("a", completions)).isEqualTo(649);

        assertThat(leases.nextRunAt(prefix + 0)).isEqualTo(base);
        assertThat(leases.nextRunAt(prefix + 299)).isEqualTo(base.plusSeconds(299));
        assertThat(leases.nextRunAt(prefix + 300)).isEqualTo(base.plusSeconds(300));
        assertThat(leases.nextRunAt(prefix + 649)).isEqualTo(base.plusSeconds(649));
        assertThat(leases.runCount(prefix + 649)).isEqualTo(1);
        // b's run of the lost job is untouched: still leased to b, due as b left it.
        assertThat(leases.runCount(lost)).isEqualTo(1);
        assertThat(leases.complete(lost, "a", base)).isFalse();
        assertThat(leases.complete(lost, "b", base)).isTrue();
        assertThat(leases.runCount(lost)).isEqualTo(2);
        assertThat(leases.complete("a", List.of())).isZero();
    }
}
