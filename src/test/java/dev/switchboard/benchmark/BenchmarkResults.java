package dev.switchboard.benchmark;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one run of the suite produced: where it ran, how it was sized, the figures and the targets.
 *
 * @param startedAt    when the run began
 * @param seconds      how long the whole run took
 * @param machine      the machine and the versions of everything measured, as label → value (CPU, cores,
 *                     memory, OS, JDK, each engine's version, Node, server-everything, supergateway, JMH...)
 * @param plan         the sizes the run used (durations, repetitions, concurrencies)
 * @param measurements every figure, each the median of its runs
 * @param targets      the targets beside the measured values
 */
public record BenchmarkResults(Instant startedAt, long seconds, Map<String, String> machine, Plan plan,
                               List<Measurement> measurements, List<TargetCheck> targets) {
}
