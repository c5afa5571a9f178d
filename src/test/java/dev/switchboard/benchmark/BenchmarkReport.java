package dev.switchboard.benchmark;

import dev.switchboard.benchmark.BenchmarkCharts.Chart;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.benchmark.ScenarioTables.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Writes a run of the suite out: the raw results and the charts into one directory, and the Markdown report that
 * shows them. The report is committed, so it depends only on the results (no clock, no machine locale), and the
 * hand-written part below {@link #MARKER} (the profile and its fixes) survives every regeneration.
 */
public final class BenchmarkReport {

    /** The line after which docs/benchmarks.md is written by hand; it and everything below are kept verbatim. */
    public static final String MARKER =
            "<!-- Everything below this line is written by hand and kept when the suite regenerates the file. -->";

    private static final String HAND_WRITTEN_START = MARKER + "\n\n## Profile and fixes\n\n"
            + "Where a target is missed, the profile, the fix and the figures before and after are recorded here.\n";

    static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private BenchmarkReport() {
    }

    /**
     * Writes results.json, results.csv and the charts into {@code rawDirectory}, then {@code markdownFile}, keeping
     * its hand-written part if it has one.
     */
    public static void write(BenchmarkResults results, Path rawDirectory, Path markdownFile) {
        RawResults.write(results, rawDirectory);
        List<Chart> charts = BenchmarkCharts.write(results.measurements(), rawDirectory);
        Path markdown = markdownFile.toAbsolutePath().normalize();
        Path raw = markdown.getParent().relativize(rawDirectory.toAbsolutePath().normalize());
        try {
            String handWritten = Files.exists(markdown) ? handWritten(Files.readString(markdown)) : HAND_WRITTEN_START;
            Files.createDirectories(markdown.getParent());
            Files.writeString(markdown, generated(results, charts, raw) + "\n" + handWritten);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + markdownFile, e);
        }
    }

    /**
     * Rebuilds the report from raw results already written, without running the suite: after a change to the report
     * itself. Arguments: the results.json (default docs/benchmarks/results.json) and the Markdown file (default
     * docs/benchmarks.md); the charts are redrawn beside the results.
     */
    public static void main(String[] args) {
        Path json = Path.of(args.length > 0 ? args[0] : "docs/benchmarks/" + RawResults.JSON);
        Path markdown = Path.of(args.length > 1 ? args[1] : "docs/benchmarks.md");
        write(RawResults.read(json), json.toAbsolutePath().getParent(), markdown);
    }

    /** The marker and everything after it, or a fresh start of the hand-written part when the file has none. */
    static String handWritten(String existing) {
        int at = existing.startsWith(MARKER) ? 0 : existing.indexOf("\n" + MARKER);
        return at < 0 ? HAND_WRITTEN_START : existing.substring(at == 0 ? 0 : at + 1);
    }

    private static String generated(BenchmarkResults results, List<Chart> charts, Path raw) {
        String rawLink = link(raw);
        StringBuilder text = new StringBuilder("# Benchmarks\n\n");
        text.append("""
                How fast Switchboard is and what it costs beside the direct path, beside an nginx reverse proxy and \
                beside supergateway, measured by the benchmark suite (`src/test/java/dev/switchboard/benchmark`) on \
                one machine. Targets are reported \
                beside what was measured, never asserted: a missed target is a finding for the profile at the end of \
                this page, not a failed build. Everything above the profile is generated; regenerate it, the charts \
                and the raw results ([results.json](%s/results.json), [results.csv](%s/results.csv)) with \
                `benchmarks/run`.
                """.formatted(rawLink, rawLink));
        text.append('\n').append(runLine(results)).append("\n\n");
        // A run of several parts describes each of them in one sentence, written once.
        results.laterRuns().values().stream().distinct().forEach(run -> text.append(run).append("\n\n"));

        text.append("## Machine and versions\n\n");
        Table machine = new Table(List.of("Item", "Value"));
        results.machine().forEach((item, value) -> machine.add(List.of(item, value)));
        text.append(results.machine().isEmpty() ? "Not recorded.\n" : machine.markdown()).append('\n');

        text.append("## Targets\n\n");
        Table targets = new Table(List.of("Target", "Measured", "Met"));
        results.targets().forEach(check -> targets.add(List.of(check.target(), check.measured(),
                check.met() ? "✅" : "❌")));
        text.append(results.targets().isEmpty() ? "No target was checked in this run.\n" : targets.markdown());

        for (Scenario scenario : Scenario.values()) {
            List<Measurement> figures = results.measurements().stream().filter(m -> m.scenario() == scenario)
                    .toList();
            if (figures.isEmpty()) {
                continue;
            }
            text.append("\n## ").append(scenario.title()).append("\n\n");
            String note = note(scenario);
            if (!note.isEmpty()) {
                text.append(note).append("\n\n");
            }
            text.append(ScenarioTables.table(scenario, figures));
            for (Chart chart : charts) {
                if (chart.scenario() == scenario) {
                    text.append("\n![").append(chart.title()).append("](").append(rawLink).append('/')
                            .append(chart.file()).append(")\n");
                }
            }
        }
        return text.toString();
    }

    private static String runLine(BenchmarkResults results) {
        Plan plan = results.plan();
        TreeSet<Integer> runCounts = new TreeSet<>();
        results.measurements().forEach(m -> runCounts.add(m.runs().size()));
        String medians = runCounts.isEmpty() ? "The run produced no figures." : runCounts.size() == 1
                ? "Each figure is the median of " + runs(runCounts.first()) + "."
                : "Each figure is the median of its runs (" + Figures.list(List.copyOf(runCounts)) + " runs).";
        return "Run of " + STARTED.format(results.startedAt()) + ", which took "
                + Figures.duration(results.seconds()) + ", with the `" + plan.name() + "` plan: "
                + runs(plan.repetitions()) + " of each measurement, each " + seconds(plan.measure())
                + (plan.warmup().isZero() ? " without warm-up" : " after " + seconds(plan.warmup()) + " of warm-up")
                + ", " + forks(plan.forks()) + "; every target first driven for " + seconds(plan.steadyState())
                + " to reach steady state (the tools/call targets " + CallScenarios.STEADY_STATE_ROUNDS
                + " times as long); tools/call at concurrency "
                + Figures.list(plan.concurrencies()) + "; the supergateway comparison at concurrency "
                + plan.peerConcurrency() + "; a catalog of " + String.format(Locale.ROOT, "%,d", plan.catalogSize())
                + " tools; " + plan.writeConcurrency() + " concurrent registry writers; "
                + plan.claimWorkers() + " worker processes competing for "
                + String.format(Locale.ROOT, "%,d", plan.claimJobs()) + " jobs. " + medians;
    }

    private static String runs(int count) {
        return count == 1 ? "1 run" : count + " runs";
    }

    private static String forks(int forks) {
        return forks == 0 ? "in the suite's JVM" : forks == 1 ? "in a fresh JVM" : forks + " JVM forks per run";
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** What a scenario's table means where its columns do not say it alone. */
    private static String note(Scenario scenario) {
        return switch (scenario) {
            case TOOLS_CALL -> "Requests per second and latency of a trivial tool called directly on the upstream "
                    + "and through Switchboard; \"added\" is Switchboard's latency minus the direct one.";
            case SUPERGATEWAY -> "The same stdio upstream served over HTTP by supergateway and by Switchboard.";
            case SSE_UPSTREAM -> "`@modelcontextprotocol/server-everything` over Streamable HTTP, a TypeScript SDK "
                    + "server that answers each POST with an SSE stream, and its `echo` tool called three ways: "
                    + "directly; through an nginx reverse proxy (HTTP/1.1, kept-alive upstream connections, no "
                    + "buffering), the cost of a minimal extra hop; and through a Switchboard virtual server that "
                    + "fronts it. \"Added\" is each path's latency minus the direct one. The upstream keeps every "
                    + "event it sent (its in-memory event store), so it slows a little as the run goes on; the three "
                    + "paths alternate, so that touches them alike.";
            case JOB_CLAIMS -> "A double claim is a job two workers both claimed; any number but 0 is a defect.";
            case REPLICA_DELIVERY -> "Two gateways on one registry; each client's session calls the fast upstream on "
                    + "replica A, then answers the call's sampling request, or cancels a slow call once it runs, by "
                    + "a POST to A itself (same replica) or to replica B, which passes it on to A (other replica). "
                    + "The slow call sleeps 1 s (the upstream does not stop a call it is told is cancelled). "
                    + "The figure is that POST's time: its 202 comes once A has the message, so the difference is "
                    + "what passing it on costs. One client alone, then several at once, under their load.";
            case SESSIONS -> "Two gateways on databases of their own on the same engine, one keeping its MCP "
                    + "sessions in the registry (the default, so that any replica continues them) and one in memory "
                    + "(`SWITCHBOARD_MCP_SESSION_STORE=memory`), each client calling the fast upstream in its own "
                    + "session in a closed loop. Each client opens its session as a run starts (stored, and its "
                    + "caller's sessions counted), and a run lasts past the 5 s after which a replica compares a "
                    + "steady session's copy with the registry. The runs of the two alternate.";
            case STARTUP -> "From process start to ready: on an empty database (first start, which includes "
                    + "the migration) and on a migrated one (restart); the migration alone beside them.";
            default -> "";
        };
    }

    /** A relative path as a Markdown link target, with forward slashes on every platform. */
    private static String link(Path relative) {
        String path = relative.toString().replace('\\', '/');
        return path.isEmpty() ? "." : path;
    }
}
