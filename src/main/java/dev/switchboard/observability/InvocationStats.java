package dev.switchboard.observability;

import java.util.Arrays;

/**
 * The figures of one entity's invocations over a span: counted exactly from raw durations, and, where hourly
 * rollups are merged in, estimated from their histograms. Percentiles are computed here in Java because every
 * engine's SQL percentile functions differ.
 */
final class InvocationStats {

    /** Durations kept for exact percentiles, per entity and report. */
    static final int MAX_EXACT = 1_000_000;

    private long count;
    private long failures;
    private long sumUs;
    private long maxUs;
    private long[] durations = new long[16];
    private int exact;
    private final LatencyHistogram histogram = new LatencyHistogram();
    private boolean approximate;

    void add(long durationUs, boolean success) {
        count++;
        failures += success ? 0 : 1;
        sumUs += durationUs;
        maxUs = Math.max(maxUs, durationUs);
        histogram.add(durationUs);
        if (approximate) {
            return;
        }
        if (exact == MAX_EXACT) {
            // Past this many the histogram alone answers, so a busy tool cannot exhaust the heap.
            approximate = true;
            durations = null;
            return;
        }
        if (exact == durations.length) {
            durations = Arrays.copyOf(durations, exact * 2);
        }
        durations[exact++] = durationUs;
    }

    /** Merges an hourly rollup: from here on percentiles are estimates from the merged histogram. */
    void merge(long calls, long failed, long sum, long max, LatencyHistogram rolled) {
        count += calls;
        failures += failed;
        sumUs += sum;
        maxUs = Math.max(maxUs, max);
        histogram.merge(rolled);
        approximate = true;
    }

    long count() {
        return count;
    }

    long failures() {
        return failures;
    }

    long sumUs() {
        return sumUs;
    }

    long maxUs() {
        return maxUs;
    }

    boolean approximate() {
        return approximate;
    }

    LatencyHistogram histogram() {
        return histogram;
    }

    /** The {@code p} quantile in microseconds: the nearest rank of the raw durations, or the histogram's estimate. */
    long percentile(double p) {
        if (count == 0) {
            return 0;
        }
        if (approximate) {
            return histogram.percentile(p, maxUs);
        }
        long[] sorted = Arrays.copyOf(durations, exact);
        Arrays.sort(sorted);
        int rank = (int) Math.max(1, Math.ceil(p * sorted.length));
        return sorted[rank - 1];
    }
}
