package dev.switchboard.observability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Counts of durations in fixed log-scale buckets (each bound about 19% above the last, from 1 µs to 71 minutes),
 * so hourly rollups can be merged and their percentiles estimated to within a bucket's width. Stored as compact
 * JSON that names each non-empty bucket by its upper bound in microseconds: {@code {"1024":3,"1218":5,"+Inf":1}}.
 */
public final class LatencyHistogram {

    /** Upper bounds in microseconds, inclusive; a duration above the last one falls in the overflow bucket. */
    static final long[] BOUNDS = bounds();
    private static final String OVERFLOW = "+Inf";

    private final long[] counts = new long[BOUNDS.length + 1];

    /** Adds one duration. */
    public void add(long durationUs) {
        counts[index(durationUs)]++;
    }

    /** Adds every count of {@code other}. */
    public void merge(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    public long count() {
        return Arrays.stream(counts).sum();
    }

    /**
     * The upper bound of the bucket holding the {@code p} quantile (nearest rank), capped at {@code maxUs}: an
     * estimate that is never below the true value and at most one bucket above it.
     */
    public long percentile(double p, long maxUs) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i < BOUNDS.length ? Math.min(BOUNDS[i], maxUs) : maxUs;
            }
        }
        return maxUs;
    }

    /** The compact JSON form: only non-empty buckets, keyed by their upper bound. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                node.put(i < BOUNDS.length ? Long.toString(BOUNDS[i]) : OVERFLOW, counts[i]);
            }
        }
        return node;
    }

    /** Reads the JSON form; a bound that is not one of ours (a future bucket layout) counts in the bucket holding it. */
    public static LatencyHistogram fromJson(JsonNode node) {
        LatencyHistogram histogram = new LatencyHistogram();
        if (node == null || !node.isObject()) {
            return histogram;
        }
        for (Map.Entry<String, JsonNode> bucket : node.properties()) {
            long count = bucket.getValue().asLong(0);
            if (bucket.getKey().equals(OVERFLOW)) {
                histogram.counts[BOUNDS.length] += count;
            } else {
                try {
                    histogram.counts[index(Long.parseLong(bucket.getKey()))] += count;
                } catch (NumberFormatException e) {
                    // Not a bucket this version wrote: ignored rather than failing the whole report.
                }
            }
        }
        return histogram;
    }

    /** Counts per bucket, keyed by upper bound (Long.MAX_VALUE for the overflow bucket), for tests and reports. */
    public Map<Long, Long> buckets() {
        Map<Long, Long> buckets = new TreeMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                buckets.put(i < BOUNDS.length ? BOUNDS[i] : Long.MAX_VALUE, counts[i]);
            }
        }
        return buckets;
    }

    static int index(long durationUs) {
        int i = Arrays.binarySearch(BOUNDS, durationUs);
        return i >= 0 ? i : -i - 1;
    }

    private static long[] bounds() {
        List<Long> bounds = new ArrayList<>();
        for (int i = 0; i <= 128; i++) {
            long bound = (long) Math.ceil(Math.pow(2, i / 4.0));
            if (bounds.isEmpty() || bound > bounds.getLast()) {
                bounds.add(bound);
            }
        }
        return bounds.stream().mapToLong(Long::longValue).toArray();
    }
}
