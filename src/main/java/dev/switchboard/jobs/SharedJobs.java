package dev.switchboard.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the work replicas share: every {@link SharedJob} bean, and jobs scheduled at runtime (one health check per
 * upstream). Each replica polls the job_lease table on a short tick, claims the due jobs it has code for under a
 * lease, runs them on virtual threads and completes them with their next slot.
 *
 * <p>Slots are fixed-rate: a job registered at T runs at T, T + interval, T + 2 intervals... on whichever replica
 * claims it first, so across replicas it runs once per slot. A slot that nobody ran (every replica was down, or a
 * run outlasted the interval) is skipped, not made up: the next run is the first slot after the claim.
 */
@Component
public class SharedJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SharedJobs.class);
    private static final Duration SHORTEST_TICK = JobSettings.SHORTEST_TICK;

    /** A job this replica has code for; a one-off job ({@link #runOnce}) has no interval. */
    private record Job(String name, Duration interval, Runnable work) {

        boolean oneOff() {
            return interval == null;
        }
    }

    /** A run in progress on this replica. */
    private record Run(Thread thread, Instant startedAt, boolean interrupted) {
    }

    private final JobLeaseRepository leases;
    private final List<SharedJob> beans;
    private final Duration pollInterval;
    private final Duration runTimeout;
    private final String owner = "replica-" + UUID.randomUUID();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, Run> running = new ConcurrentHashMap<>();
    private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
    /** Finished runs, by job, with their next slot: written together on the next tick, in one transaction. */
    private final Map<String, Instant> finished = new ConcurrentHashMap<>();
    /** When the one-off runs this replica asked for fall due, so the poller wakes for them rather than a tick later. */
    private final Map<String, Instant> asked = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private final BackgroundLoop poller = new BackgroundLoop("shared-jobs-poller", this::poll, this::tick, log,
            // Registering, completing and claiming all land here: the message must not name one of them.
            "Shared jobs could not be registered, completed or claimed; trying again every tick: {}",
            "Claiming shared jobs again");
    private ExecutorService runs;
    private volatile boolean started;

    public SharedJobs(JobLeaseRepository leases, List<SharedJob> beans, JobSettings settings) {
        this.leases = leases;
        this.beans = List.copyOf(beans);
        this.pollInterval = settings.pollInterval();
        this.runTimeout = settings.runTimeout();
        for (SharedJob bean : this.beans) {
            requireInterval(bean.name(), bean.interval());
        }
    }

    /** This replica's name in lease_owner. */
    public String owner() {
        return owner;
    }

    /**
     * Runs {@code work} every {@code interval} across all replicas, from now on; the registration is this replica's,
     * so every replica that should run it schedules it. Scheduling a name again replaces its work and interval here;
     * a job already registered in the database keeps its next slot.
     */
    public void schedule(String name, Duration interval, Runnable work) {
        requireInterval(name, interval);
        jobs.put(name, new Job(name, interval, work));
        unregistered.add(name);
        registerPending();
    }

    /**
     * Runs {@code work} once, across all replicas, {@code delay} from now: on whichever replica that asked claims it
     * first. Asking again while a run waits joins that run, so a burst of asks is one run (a debounce); asking while
     * it runs gets one more run, {@code delay} after the ask. The row is gone once no run is wanted.
     *
     * @throws RuntimeException when the database cannot record the ask; nothing is then scheduled
     */
    public void runOnce(String name, Duration delay, Runnable work) {
        Instant due = Instant.now().plus(delay);
        jobs.put(name, new Job(name, null, work));
        leases.request(name, due);
        asked.merge(name, due, (a, b) -> a.isBefore(b) ? a : b);
        poller.wake();
    }

    /**
     * Registers the jobs whose rows could not be written yet: the database may be away, or its schema not migrated
     * yet (SWITCHBOARD_SKIP_MIGRATIONS). The poller tries again on every tick.
     */
    private void registerPending() {
        for (String name : unregistered) {
            if (!jobs.containsKey(name)) {
                unregistered.remove(name);
                continue;
            }
            try {
                leases.register(name, Instant.now());
                unregistered.remove(name);
            } catch (RuntimeException e) {
                log.debug("Could not register job {} yet: {}", name, e.getMessage());
                return;
            }
        }
    }

    /**
     * Stops the job for good, on every replica: its row is deleted, and a replica that still has code for it cannot
     * claim a row that is not there. A run in progress finishes. False when this replica did not know the job.
     */
    public boolean cancel(String name) {
        boolean known = jobs.remove(name) != null;
        unregistered.remove(name);
        leases.delete(name);
        return known;
    }

    /** The names of the jobs this replica runs. */
    public Set<String> names() {
        return Set.copyOf(jobs.keySet());
    }

    /** The first slot after {@code claimedAt} in the series {@code dueAt + k * interval}, k at least 1. */
    static Instant nextSlot(Instant dueAt, Duration interval, Instant claimedAt) {
        long step = interval.toNanos();
        long behind = Duration.between(dueAt, claimedAt).toNanos();
        long slots = behind < 0 ? 1 : behind / step + 1;
        return dueAt.plusNanos(slots * step).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * How long the poller sleeps: the setting, but never more than a quarter of the shortest interval, nor past the
     * time a one-off run asked for on this replica falls due.
     */
    Duration tick() {
        Duration tick = pollInterval;
        Instant now = Instant.now();
        // Runs asked for that are due now were just claimed (or not, the database being away): the usual tick then.
        asked.values().removeIf(due -> !due.isAfter(now));
        for (Instant due : asked.values()) {
            Duration until = Duration.between(now, due);
            if (until.compareTo(tick) < 0) {
                tick = until;
            }
        }
        for (Job job : jobs.values()) {
            if (job.oneOff()) {
                continue;
            }
            Duration quarter = job.interval().dividedBy(4);
            if (quarter.compareTo(tick) < 0) {
                tick = quarter;
            }
        }
        return tick.compareTo(SHORTEST_TICK) < 0 ? SHORTEST_TICK : tick;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (started) {
                return;
            }
            for (SharedJob bean : beans) {
                schedule(bean.name(), bean.interval(), bean::run);
            }
            runs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("shared-job-", 0).factory());
            started = true;
            poller.start(Duration.ZERO);
        }
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (!started) {
                return;
            }
            started = false;
            poller.stop(Duration.ofSeconds(5));
            // Runs in flight get a moment to finish and complete their lease; the rest are interrupted, and their
            // leases expire so that another replica takes the next slot.
            runs.shutdown();
            try {
                if (!runs.awaitTermination(5, TimeUnit.SECONDS)) {
                    runs.shutdownNow();
                }
            } catch (InterruptedException e) {
                runs.shutdownNow();
                Thread.currentThread().interrupt();
            }
            completeFinishedOrLog();
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** One tick of the poller; the database may be away, or not migrated yet, and the next tick tries again. */
    private void poll() {
        registerPending();
        completeFinished();
        claimAndRun();
    }

    private void claimAndRun() {
        interruptOverdueRuns();
        List<String> idle = jobs.keySet().stream().filter(name -> !running.containsKey(name)).toList();
        if (idle.isEmpty()) {
            return;
        }
        for (JobLeaseRepository.Claim claim : leases.claim(owner, idle, lease())) {
            Job job = jobs.get(claim.name());
            if (job == null) {
                continue; // cancelled since: its lease runs out, and nobody has code for it here any more
            }
            try {
                runs.execute(() -> runOnce(job, claim));
            } catch (RejectedExecutionException e) {
                return; // stopping: the lease expires and another replica runs the slot
            }
        }
    }

    /** Interrupts runs that outlasted SWITCHBOARD_JOBS_RUN_TIMEOUT, so they complete well before their lease lapses. */
    private void interruptOverdueRuns() {
        Instant now = Instant.now();
        running.forEach((name, run) -> {
            if (run.startedAt().plus(runTimeout).isBefore(now) && !run.interrupted()) {
                log.warn("Job {} ran longer than SWITCHBOARD_JOBS_RUN_TIMEOUT ({}) and is interrupted", name,
                        runTimeout);
                running.put(name, new Run(run.thread(), run.startedAt(), true));
                run.thread().interrupt();
            }
        });
    }

    /** Twice the run timeout, so a lease never lapses under a run that is still going. */
    private Duration lease() {
        return runTimeout.plus(runTimeout).plusSeconds(5);
    }

    private void runOnce(Job job, JobLeaseRepository.Claim claim) {
        running.put(job.name(), new Run(Thread.currentThread(), Instant.now(), false));
        try {
            job.work().run();
        } catch (RuntimeException e) {
            log.warn("Job {} failed; it runs again at its next slot", job.name(), e);
        } finally {
            running.remove(job.name());
            Thread.interrupted(); // an interrupt for the timeout must not stop the completion below
        }
        if (job.oneOff()) {
            completeOnce(job, claim);
            return;
        }
        finished.put(job.name(), nextSlot(claim.dueAt(), job.interval(), claim.claimedAt()));
        if (!started) {
            completeFinishedOrLog(); // a run that outlasted stop(): no tick will come to complete it
        }
    }

    /**
     * Completes a one-off run at once, so that an ask made from now on waits for a new run. When no run is wanted
     * any more the code goes too, unless an ask since replaced it; if the database is away, the lease expires and
     * the run is done again, which a refresh survives.
     */
    private void completeOnce(Job job, JobLeaseRepository.Claim claim) {
        try {
            if (leases.completeOnce(job.name(), owner, claim.claimedAt())) {
                jobs.remove(job.name(), job);
            }
        } catch (RuntimeException e) {
            log.warn("Could not complete job {}; its lease expires and it runs again: {}", job.name(),
                    e.getMessage());
        }
    }

    /**
     * Completes the finished runs. The poller does it just before it claims, which is the soonest a completion
     * matters to this replica; until then the lease keeps other replicas off a job whose next slot is ahead anyway.
     * A completion that fails stays for the next tick; if its lease lapses first, it completes nothing.
     */
    private void completeFinished() {
        if (finished.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = Map.copyOf(finished);
        leases.complete(owner, batch.entrySet().stream()
                .map(e -> new JobLeaseRepository.Completion(e.getKey(), e.getValue())).toList());
        batch.forEach(finished::remove);
    }

    private void completeFinishedOrLog() {
        try {
            completeFinished();
        } catch (RuntimeException e) {
            log.warn("Could not complete {} finished jobs; their leases expire and the next slots run: {}",
                    finished.size(), e.getMessage());
        }
    }

    private static void requireInterval(String name, Duration interval) {
        if (interval == null || interval.compareTo(Duration.ofMillis(40)) < 0) {
            throw new IllegalArgumentException("job " + name + " needs an interval of at least 40ms, not " + interval);
        }
    }
}
