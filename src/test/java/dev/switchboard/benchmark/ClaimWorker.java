package dev.switchboard.benchmark;

import dev.switchboard.jobs.JobLeaseRepository;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One claim worker of the job-claims scenario, run as its own JVM so that it competes like a replica: its own pool,
 * its own sessions. It claims and completes jobs the way SharedJobs does, each run due again at once, and writes
 * every claim it made to a file for {@link JobClaims} to count and check.
 *
 * <p>Arguments: owner, job-name prefix, job count, JIT warm-up ms, warm-up ms, measured ms, folder. The database
 * URL comes in the environment variable {@value #URL_VARIABLE}, so its credentials do not show in the process
 * list. The worker first claims and completes jobs of its own for the JIT warm-up, so that the window measures
 * compiled code as a long-running replica has it; then it writes {@code <owner>.ready}, waits for
 * {@value #GO_FILE} (holding the start time in epoch milliseconds) so that JVM start-up is never measured, and
 * ends with {@code <owner>.claims}.
 */
public final class ClaimWorker {

    static final String URL_VARIABLE = "CLAIM_DATABASE_URL";
    static final String GO_FILE = "go";
    /** Longer than any run, so no lease lapses and every second claim of a slot is a real double claim. */
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration EMPTY_ROUND_PAUSE = Duration.ofMillis(10);
    private static final int WARM_UP_JOBS = 100;

    private ClaimWorker() {
    }

    public static void main(String[] args) throws Exception {
        String owner = args[0];
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        long jitWarmupMillis = Long.parseLong(args[3]);
        long warmupMillis = Long.parseLong(args[4]);
        long measureMillis = Long.parseLong(args[5]);
        Path folder = Path.of(args[6]);
        List<String> names = JobClaims.names(prefix, count);

        try (Database database = Database.open(DatabaseSettings.forUrl(System.getenv(URL_VARIABLE)))) {
            JobLeaseRepository leases = new JobLeaseRepository(database.transactions());
            // One claim of names that are not registered loads the classes and opens the connection, untimed.
            leases.claim(owner, List.of(prefix + "absent"), LEASE);
            warmUp(leases, owner, prefix + "warm-" + owner + "-", jitWarmupMillis);
            Files.writeString(folder.resolve(owner + ".ready"), "");
            long startAt = awaitStart(folder.resolve(GO_FILE));
            long measuredFrom = startAt + warmupMillis;
            long measuredUntil = measuredFrom + measureMillis;

            List<ClaimRecord> claims = new ArrayList<>();
            int rounds = 0;
            int emptyRounds = 0;
            int lostLeases = 0;
            while (System.currentTimeMillis() < measuredUntil) {
                // A round counts when it begins inside the window: a round that ends past the window is balanced
                // by the one that began before it, and on a loaded machine a single round can outlast a short
                // window (the smoke plan's half second), which counting by the end would report as no claims.
                long roundBegan = System.currentTimeMillis();
                List<JobLeaseRepository.Claim> batch = leases.claim(owner, names, LEASE);
                rounds++;
                if (batch.isEmpty()) {
                    emptyRounds++;
                    // Every job is another worker's: wait a tick, as SharedJobs does after every round (its
                    // shortest tick is 10 ms), instead of spinning on the database the others need.
                    Thread.sleep(EMPTY_ROUND_PAUSE.toMillis());
                    continue;
                }
                boolean measured = roundBegan >= measuredFrom;
                for (JobLeaseRepository.Claim claim : batch) {
                    claims.add(new ClaimRecord(claim.name(), claim.dueAt(), measured));
                }
                // As SharedJobs does: the runs finished at once, and their completions go together before the
                // next claim. Each is due again at once, so the workers compete for every job all the time.
                Instant now = Instant.now();
                int completed = leases.complete(owner, batch.stream()
                        .map(claim -> new JobLeaseRepository.Completion(claim.name(), now)).toList());
                // A lease lost within the minute means another worker took the run too: the double-claim count
                // shows it, so the worker goes on rather than hiding the count behind a crash.
                lostLeases += batch.size() - completed;
            }
            write(folder.resolve(owner + ".claims"), claims);
            // For the profile: rounds that found nothing due are load that only contention causes.
            System.out.printf("%s: %d claims in %d rounds, %d of them empty; %d leases lost%n", owner,
                    claims.size(), rounds, emptyRounds, lostLeases);
        }
    }

    /** Claims and completes jobs that only this worker knows, so nobody else's claims are disturbed. */
    private static void warmUp(JobLeaseRepository leases, String owner, String prefix, long millis) {
        if (millis <= 0) {
            return;
        }
        List<String> names = JobClaims.names(prefix, WARM_UP_JOBS);
        Instant now = Instant.now();
        for (String name : names) {
            leases.register(name, now);
        }
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until) {
            Instant next = Instant.now();
            leases.complete(owner, leases.claim(owner, names, LEASE).stream()
                    .map(claim -> new JobLeaseRepository.Completion(claim.name(), next)).toList());
        }
    }

    private static long awaitStart(Path go) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(2).toMillis();
        while (!Files.exists(go)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no start signal in " + go);
            }
            Thread.sleep(2); // pacing of a tight poll: every worker must see the signal within milliseconds
        }
        String start = Files.readString(go).trim();
        // The scenario writes the file then renames it into place, but an empty read costs nothing to retry.
        while (start.isEmpty()) {
            Thread.sleep(2); // as above
            start = Files.readString(go).trim();
        }
        long startAt = Long.parseLong(start);
        long wait = startAt - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait); // time passes until the moment all workers start together
        }
        return startAt;
    }

    private static void write(Path file, List<ClaimRecord> claims) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try (BufferedWriter out = Files.newBufferedWriter(partial)) {
            for (ClaimRecord claim : claims) {
                out.write(claim.line());
                out.newLine();
            }
        }
        Files.move(partial, file);
    }
}
