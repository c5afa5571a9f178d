package dev.switchboard.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * One figure of the suite: what was measured, on what, and every repeated run's value. The figure reported is the
 * median of the runs, so one disturbed run does not move it.
 *
 * @param scenario    which scenario measured it (see {@link Scenario})
 * @param subject     what was measured: "direct", "switchboard", "supergateway", "nginx", "create", "update", "restart"...
 * @param engine      the registry's engine ("sqlite", "postgresql", "mariadb"), or "" where no database is involved
 * @param concurrency how many requests were in flight at once (clients, threads or worker processes); 0 when none
 * @param metric      what the number is (see {@link Metric})
 * @param runs        the value of each run, in the metric's unit
 */
public record Measurement(Scenario scenario, String subject, String engine, int concurrency, Metric metric,
                          List<Double> runs) {

    public Measurement {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs at least one run: " + scenario + " " + subject);
        }
        runs = List.copyOf(runs);
    }

    /** The median of the runs (the mean of the middle two for an even count). */
    public double median() {
        List<Double> sorted = new ArrayList<>(runs);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The suite's scenarios, in the order the report shows them. */
    public enum Scenario {
        TOOLS_CALL("tools/call of a trivial tool, direct and through Switchboard"),
        SUPERGATEWAY("A stdio upstream behind Switchboard and behind supergateway"),
        SSE_UPSTREAM("An upstream that answers with SSE: direct, behind nginx and through Switchboard"),
        TOOLS_LIST("tools/list of the whole catalog (1,000 tools in the full run)"),
        REGISTRY_WRITES("Registry writes through the REST API"),
        JOB_CLAIMS("Job claims by competing worker processes"),
        REPLICA_DELIVERY("A client's message for a call running on another replica"),
        SESSIONS("tools/call with sessions in the registry and in memory"),
        STARTUP("Cold start and migration"),
        MEMORY("Resident memory");

        private final String title;

        Scenario(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** What a number means, with its unit. */
    public enum Metric {
        THROUGHPUT("requests/s"),
        P50("ms"),
        P99("ms"),
        OPERATIONS("operations/s"),
        CLAIMS("claims/s"),
        DOUBLE_CLAIMS("count"),
        READY("ms"),
        MIGRATION("ms"),
        RSS("MB");

        private final String unit;

        Metric(String unit) {
            this.unit = unit;
        }

        public String unit() {
            return unit;
        }
    }
}
