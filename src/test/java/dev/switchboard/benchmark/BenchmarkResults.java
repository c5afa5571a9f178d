package dev.switchboard.benchmark;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param laterRuns    runs of parts of the suite ({@code --only}) whose figures replaced or joined this run's: each
 *                     part's name ("sse") → the sentence that describes its latest run, for the report; empty for
 *                     a run of the whole suite
 */
public record BenchmarkResults(Instant startedAt, long seconds, Map<String, String> machine, Plan plan,
                               List<Measurement> measurements, List<TargetCheck> targets, Map<String, String> laterRuns) {

    public BenchmarkResults {
        laterRuns = Collections.unmodifiableMap(new LinkedHashMap<>(laterRuns));
    }

    /**
     * These results with a later run of some parts merged in: each figure of {@code part} replaces every figure
     * of this run with the same scenario, subject and engine (whatever their concurrencies), the others stay; the
     * machine facts of the part that this run lacks (an nginx version, say) are added, and those that differ (the
     * sandbox moved to another CPU) are added under the fact's name and the later run's time; the targets are checked again on the merged
     * figures, and {@code description} says in the report which figures come from which run: it replaces the
     * sentence of an earlier run of the same {@code parts}.
     */
    BenchmarkResults merge(BenchmarkResults part, List<String> parts, String description) {
        List<Measurement> merged = new ArrayList<>();
        for (Measurement earlier : measurements) {
            boolean replaced = part.measurements().stream().anyMatch(later -> later.scenario() == earlier.scenario()
                    && later.subject().equals(earlier.subject()) && later.engine().equals(earlier.engine()));
            if (!replaced) {
                merged.add(earlier);
            }
        }
        merged.addAll(part.measurements());
        Map<String, String> facts = new LinkedHashMap<>(machine);
        String later = "later run of " + BenchmarkReport.STARTED.format(part.startedAt());
        part.machine().forEach((fact, value) -> {
            String earlier = facts.get(fact);
            if (earlier == null) {
                facts.put(fact, value);
            } else if (!earlier.equals(value)) {
                // The earlier run's machine stays as it was; the later run's differences are listed beside it.
                facts.put(fact + " (" + later + ")", value);
            }
        });
        Map<String, String> runs = new LinkedHashMap<>(laterRuns);
        parts.forEach(name -> {
            runs.remove(name);
            runs.put(name, description);
        });
        // A later run's differing facts go when no part's sentence names that run any more.
        facts.keySet().removeIf(fact -> {
            int at = fact.indexOf(" (later run of ");
            return at >= 0 && runs.values().stream()
                    .noneMatch(run -> run.contains(fact.substring(at + 2, fact.length() - 1)));
        });
        return new BenchmarkResults(startedAt, seconds, facts, plan, merged, Targets.check(merged), runs);
    }
}
