package dev.switchboard.benchmark;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.util.Statistics;

/**
 * One measured run of a JMH benchmark method ({@link McpLoad}, {@link RegistryLoad}) at a concurrency: JMH's
 * sample-time mode times operations in nanoseconds, and its threads are a closed loop of clients.
 */
public final class LoadRun {

    private LoadRun() {
    }

    /**
     * What one run measured.
     *
     * @param throughput operations per second: concurrency ÷ mean time per operation (Little's law for a closed
     *                   loop, where every client always has one request in flight)
     * @param p50        median time per operation, in milliseconds
     * @param p99        99th percentile, in milliseconds
     * @param samples    operations timed
     */
    public record Figures(double throughput, double p50, double p99, long samples) {
    }

    /** Runs {@code type.method} with {@code threads} clients and these {@code @Param} values. */
    public static Figures run(Plan plan, Class<?> type, String method, int threads, Map<String, String> params) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(type.getName() + "." + method) + "$")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS)
                .threads(threads).forks(plan.forks())
                .warmupIterations(plan.warmup().isZero() ? 0 : 1).warmupTime(time(plan.warmup()))
                .measurementIterations(1).measurementTime(time(plan.measure()))
                .shouldFailOnError(true).verbosity(VerboseMode.SILENT)
                .jvmArgs("-Xmx1g", "-XX:+UseParallelGC");
        params.forEach(options::param);
        Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("the load run " + method + " failed: " + e.getMessage(), e);
        }
        if (results.size() != 1) {
            throw new IllegalStateException("the load run " + method + " gave " + results.size() + " results");
        }
        Statistics statistics = results.iterator().next().getPrimaryResult().getStatistics();
        double meanMicros = statistics.getMean();
        return new Figures(threads * 1_000_000 / meanMicros, statistics.getPercentile(50) / 1000,
                statistics.getPercentile(99) / 1000, statistics.getN());
    }

    private static TimeValue time(Duration duration) {
        return TimeValue.milliseconds(Math.max(1, duration.toMillis()));
    }
}
