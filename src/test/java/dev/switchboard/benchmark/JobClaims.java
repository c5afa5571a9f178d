package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.jobs.JobLeaseRepository;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.Engine;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.testing.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The job-claims scenario: worker processes ({@link ClaimWorker}) compete for the same due jobs through
 * JobLeaseRepository, each completing what it claimed as due again at once. It measures claims per second over a
 * window that all workers start together, and counts double claims (one run claimed twice), which must be 0.
 */
public final class JobClaims {

    /** Time the workers get to connect and warm up before the start signal. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    /** Between the start signal and the start, so that every worker has seen the signal when the window opens. */
    private static final Duration START_DELAY = Duration.ofMillis(200);

    private JobClaims() {
    }

    /** Runs the scenario with the workers' default JVM options. */
    public static List<Measurement> run(Plan plan, TestEngine engine, Path workDir) {
        return run(plan, engine, workDir, List.of());
    }

    /**
     * Runs the scenario {@code plan.repetitions()} times on a fresh database of {@code engine}, each time on freshly
     * registered jobs, with {@code plan.claimWorkers()} workers (one on SQLite, which serves one process). Worker
     * logs and claim files go under {@code workDir}; {@code workerJvmOptions} are added to each worker's JVM, for
     * example to record a profile. Returns claims per second and double claims, one measurement each.
     */
    public static List<Measurement> run(Plan plan, TestEngine engine, Path workDir, List<String> workerJvmOptions) {
        String engineName = engine.engine().name().toLowerCase(Locale.ROOT);
        int workers = engine.engine() == Engine.SQLITE ? 1 : plan.claimWorkers();
        String url = engine.newDatabaseUrl();
        List<Double> rates = new ArrayList<>();
        List<Double> doubles = new ArrayList<>();
        try (Database database = Database.open(DatabaseSettings.forUrl(url))) {
            new SchemaMigrator(database).migrate();
            JobLeaseRepository leases = new JobLeaseRepository(database.transactions());
            for (int run = 1; run <= plan.repetitions(); run++) {
                String prefix = "claims-" + run + "-";
                Instant now = Instant.now();
                for (String name : names(prefix, plan.claimJobs())) {
                    leases.register(name, now);
                }
                Path folder = workDir.resolve(engineName + "-run-" + run);
                List<ClaimRecord> claims = runWorkers(plan, url, prefix, workers, folder, workerJvmOptions);
                long measured = claims.stream().filter(ClaimRecord::measured).count();
                rates.add(measured / (plan.measure().toNanos() / 1e9));
                doubles.add((double) doubleClaims(claims));
            }
        }
        return List.of(
                new Measurement(Scenario.JOB_CLAIMS, "claims", engineName, workers, Metric.CLAIMS, rates),
                new Measurement(Scenario.JOB_CLAIMS, "claims", engineName, workers, Metric.DOUBLE_CLAIMS, doubles));
    }

    /** How many runs (a job in one slot) were claimed more than once; each such run counts once. */
    static long doubleClaims(Collection<ClaimRecord> claims) {
        Map<String, Integer> times = new HashMap<>();
        for (ClaimRecord claim : claims) {
            times.merge(claim.run(), 1, Integer::sum);
        }
        return times.values().stream().filter(n -> n > 1).count();
    }

    static List<String> names(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private static List<ClaimRecord> runWorkers(Plan plan, String url, String prefix, int workers, Path folder,
                                                List<String> jvmOptions) {
        List<ChildProcess> children = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (int w = 0; w < workers; w++) {
                String owner = "worker-" + w;
                List<String> args = List.of(owner, prefix, Integer.toString(plan.claimJobs()),
                        Long.toString(jitWarmup(plan).toMillis()), Long.toString(plan.warmup().toMillis()),
                        Long.toString(plan.measure().toMillis()),
                        folder.toString());
                List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC"));
                options.addAll(jvmOptions);
                children.add(ChildProcess.java(ClaimWorker.class.getName(), options, args,
                        Map.of(ClaimWorker.URL_VARIABLE, url), folder.resolve(owner + ".log")));
            }
            awaitReady(children, folder);
            Path go = folder.resolve(ClaimWorker.GO_FILE);
            Path partial = folder.resolve(ClaimWorker.GO_FILE + ".part");
            Files.writeString(partial, Long.toString(System.currentTimeMillis() + START_DELAY.toMillis()));
            Files.move(partial, go, StandardCopyOption.ATOMIC_MOVE);

            long timeout = START_DELAY.plus(plan.warmup()).plus(plan.measure()).plusMinutes(2).toMillis();
            List<ClaimRecord> claims = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                ChildProcess child = children.get(w);
                int status = child.await(timeout, TimeUnit.MILLISECONDS);
                if (status != 0) {
                    throw new IllegalStateException("claim worker " + w + " exited with " + status + "; its log:\n"
                            + child.logText());
                }
                for (String line : Files.readAllLines(folder.resolve("worker-" + w + ".claims"))) {
                    claims.add(ClaimRecord.parse(line));
                }
            }
            return claims;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the claim workers in " + folder, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the claim workers ran", e);
        } finally {
            children.forEach(ChildProcess::close);
        }
    }

    /**
     * How long each worker warms its JIT on jobs of its own before the start: half the plan's steady-state time, as
     * all of them compile at once on the same cores. With only a shared 2 s warm-up, four workers on two cores were
     * still compiling when the window opened, and measured about 30 % fewer claims than once warm.
     */
    static Duration jitWarmup(Plan plan) {
        return plan.steadyState().dividedBy(2);
    }

    private static void awaitReady(List<ChildProcess> children, Path folder) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (int w = 0; w < children.size(); w++) {
            ChildProcess child = children.get(w);
            Path ready = folder.resolve("worker-" + w + ".ready");
            while (!Files.exists(ready)) {
                if (!child.isAlive()) {
                    throw new IllegalStateException("claim worker " + w + " ended before it was ready; its log:\n"
                            + child.logText());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("claim worker " + w + " was not ready in " + READY_TIMEOUT
                            + "; its log:\n" + child.logText());
                }
                Thread.sleep(10); // pacing of the poll for the worker's ready file; its deadline is above
            }
        }
    }
}
