package dev.switchboard.benchmark;

/**
 * A target of the issue beside what the suite measured. Targets are reported, never asserted: a miss is a finding
 * for the profile, not a failed build.
 *
 * @param target   the target as a sentence, e.g. "throughput through Switchboard ≥ 85 % of direct (concurrency 16)"
 * @param measured what was measured, formatted with its unit, e.g. "91.3 %"
 * @param met      whether the measurement meets the target
 */
public record TargetCheck(String target, String measured, boolean met) {
}
