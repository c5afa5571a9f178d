package dev.switchboard.benchmark;

import java.time.Duration;
import java.util.List;

/**
 * How big a run of the suite is. {@link #full()} is what docs/benchmarks.md reports (about 17 minutes on two
 * cores); {@link #smoke()} proves in seconds, in the normal test run, that every scenario works end to end.
 *
 * @param repetitions    runs of each measurement; the figure is their median
 * @param steadyState    load before a target's first measured run, not counted: a JVM compiles its hot paths for
 *                       tens of seconds, and operators run gateways warm (claim workers warm for half of it)
 * @param warmup         load before each measured run, not counted
 * @param measure        length of each measured run
 * @param forks          JMH forks per run: 1 gives each run a fresh JVM; 0 runs the load in the suite's own JVM,
 *                       which is still apart from every process it measures, and saves a JVM start per run
 * @param concurrencies  the concurrency levels of the tools/call scenario
 * @param peerConcurrency concurrency of the supergateway comparison
 * @param catalogSize    tools in the catalog that tools/list returns
 * @param writeConcurrency clients writing to the registry at once
 * @param claimWorkers   worker processes claiming jobs on a server engine (SQLite always gets one)
 * @param claimJobs      jobs the workers compete for
 */
public record Plan(String name, int repetitions, Duration steadyState, Duration warmup, Duration measure, int forks,
                   List<Integer> concurrencies, int peerConcurrency, int catalogSize, int writeConcurrency,
                   int claimWorkers, int claimJobs) {

    public static Plan full() {
        return new Plan("full", 3, Duration.ofSeconds(8), Duration.ofSeconds(1), Duration.ofSeconds(2), 0, List.of(1, 16, 64), 16, 1000,
                8, 4, 1000);
    }

    public static Plan smoke() {
        return new Plan("smoke", 1, Duration.ZERO, Duration.ZERO, Duration.ofMillis(500), 0, List.of(1, 4), 2, 20, 2, 2, 20);
    }

    /** This plan with measured runs of {@code length}. */
    public Plan measuring(Duration length) {
        return new Plan(name, repetitions, steadyState, warmup, length, forks, concurrencies, peerConcurrency,
                catalogSize, writeConcurrency, claimWorkers, claimJobs);
    }

    /** One load run as long as the steady-state time, to drive a target warm before its first measured run. */
    public Plan steadyStateRun() {
        return new Plan(name, 1, Duration.ZERO, Duration.ZERO, steadyState, forks, concurrencies, peerConcurrency,
                catalogSize, writeConcurrency, claimWorkers, claimJobs);
    }
}
