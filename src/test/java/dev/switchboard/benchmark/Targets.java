package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The targets, each set beside the median it is about. Reported, never asserted. */
final class Targets {

    static final double THROUGHPUT_SHARE = 0.85;
    static final double ADDED_P50_MS = 0.5;
    static final double ADDED_P99_MS = 2.0;
    static final double PEER_FACTOR = 3.0;
    static final double READY_MS = 3000;
    static final double IDLE_RSS_MB = 256;
    static final double CLAIMS_PER_SECOND = 5000;
    static final double DELIVERY_P99_MS = 100;
    static final double SESSIONS_SHARE = 0.90;

    private final List<Measurement> measurements;
    private final List<TargetCheck> checks = new ArrayList<>();

    private Targets(List<Measurement> measurements) {
        this.measurements = measurements;
    }

    static List<TargetCheck> check(List<Measurement> measurements) {
        Targets targets = new Targets(measurements);
        targets.overhead();
        targets.peer();
        targets.startup();
        targets.memory();
        targets.claims();
        targets.delivery();
        targets.sessions();
        return targets.checks;
    }

    private void overhead() {
        for (Measurement through : find(Scenario.TOOLS_CALL, "switchboard", Metric.THROUGHPUT)) {
            int c = through.concurrency();
            one(Scenario.TOOLS_CALL, "direct", c, Metric.THROUGHPUT).ifPresent(direct -> {
                double share = through.median() / direct.median();
                checks.add(new TargetCheck("throughput through Switchboard ≥ 85 % of direct (concurrency " + c + ")",
                        percent(share), share >= THROUGHPUT_SHARE));
            });
            added(c, Metric.P50, ADDED_P50_MS);
            added(c, Metric.P99, ADDED_P99_MS);
        }
    }

    private void added(int concurrency, Metric percentile, double limit) {
        Optional<Measurement> direct = one(Scenario.TOOLS_CALL, "direct", concurrency, percentile);
        Optional<Measurement> through = one(Scenario.TOOLS_CALL, "switchboard", concurrency, percentile);
        if (direct.isPresent() && through.isPresent()) {
            double added = through.get().median() - direct.get().median();
            checks.add(new TargetCheck("added latency at " + percentile.name().toLowerCase() + " ≤ " + limit
                    + " ms (concurrency " + concurrency + ")", "%.3f ms".formatted(added), added <= limit));
        }
    }

    private void peer() {
        for (Measurement through : find(Scenario.SUPERGATEWAY, "switchboard", Metric.THROUGHPUT)) {
            one(Scenario.SUPERGATEWAY, "supergateway", through.concurrency(), Metric.THROUGHPUT).ifPresent(peer -> {
                double factor = through.median() / peer.median();
                checks.add(new TargetCheck("throughput ≥ 3× supergateway's on server-everything (concurrency "
                        + through.concurrency() + ")", "%.2f×".formatted(factor), factor >= PEER_FACTOR));
            });
        }
    }

    private void startup() {
        startup("first start", "empty database, migration included, java -jar");
        startup("restart", "migrated database, java -jar");
        startup(ImageScenarios.FIRST_START, "empty database, migration included, as the image runs it");
        startup(ImageScenarios.RESTART, "migrated database, as the image runs it");
    }

    private void startup(String subject, String setting) {
        for (Measurement start : find(Scenario.STARTUP, subject, Metric.READY)) {
            if (start.engine().equals("sqlite")) {
                checks.add(new TargetCheck("cold start to /ready ≤ 3 s on SQLite (" + setting + ")",
                        "%.2f s".formatted(start.median() / 1000), start.median() <= READY_MS));
            }
        }
    }

    private void memory() {
        for (String subject : List.of("idle", ImageScenarios.IDLE)) {
            for (Measurement idle : find(Scenario.MEMORY, subject, Metric.RSS)) {
                checks.add(new TargetCheck("idle RSS ≤ 256 MB (" + (subject.equals("idle") ? "java -jar"
                        : "as the image runs it") + ")", "%.0f MB".formatted(idle.median()),
                        idle.median() <= IDLE_RSS_MB));
            }
        }
    }

    private void claims() {
        for (Measurement claims : find(Scenario.JOB_CLAIMS, null, Metric.CLAIMS)) {
            if (!claims.engine().equals("sqlite")) {
                checks.add(new TargetCheck("job claims ≥ 5,000/s on " + claims.engine() + " (" + claims.concurrency()
                        + " worker processes)", "%.0f/s".formatted(claims.median()),
                        claims.median() >= CLAIMS_PER_SECOND));
            }
        }
        for (Measurement doubles : find(Scenario.JOB_CLAIMS, null, Metric.DOUBLE_CLAIMS)) {
            double worst = doubles.runs().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            checks.add(new TargetCheck("no job claimed twice on " + doubles.engine() + " (every run)",
                    "%.0f".formatted(worst), worst == 0));
        }
    }

    private void delivery() {
        for (String subject : List.of(ReplicaScenarios.SAMPLING_THERE, ReplicaScenarios.CANCEL_THERE)) {
            for (Measurement delivered : find(Scenario.REPLICA_DELIVERY, subject, Metric.P99)) {
                checks.add(new TargetCheck("a message passed on to the call's replica (" + subject + ") ≤ 100 ms at "
                        + "p99 on " + delivered.engine() + " (" + delivered.concurrency()
                        + (delivered.concurrency() == 1 ? " client)" : " clients)"),
                        "%.1f ms".formatted(delivered.median()), delivered.median() <= DELIVERY_P99_MS));
            }
        }
    }

    private void sessions() {
        for (Measurement shared : find(Scenario.SESSIONS, SessionScenarios.REGISTRY, Metric.THROUGHPUT)) {
            find(Scenario.SESSIONS, SessionScenarios.MEMORY, Metric.THROUGHPUT).stream()
                    .filter(m -> m.engine().equals(shared.engine()) && m.concurrency() == shared.concurrency())
                    .findFirst().ifPresent(memory -> {
                        double share = shared.median() / memory.median();
                        checks.add(new TargetCheck("tools/call with sessions in the registry ≥ 90 % of sessions in "
                                + "memory on " + shared.engine() + " (concurrency " + shared.concurrency() + ")",
                                percent(share), share >= SESSIONS_SHARE));
                    });
        }
    }

    private List<Measurement> find(Scenario scenario, String subject, Metric metric) {
        return measurements.stream().filter(m -> m.scenario() == scenario && m.metric() == metric
                && (subject == null || m.subject().equals(subject))).toList();
    }

    private Optional<Measurement> one(Scenario scenario, String subject, int concurrency, Metric metric) {
        return find(scenario, subject, metric).stream().filter(m -> m.concurrency() == concurrency).findFirst();
    }

    private static String percent(double share) {
        return "%.1f %%".formatted(share * 100);
    }
}
