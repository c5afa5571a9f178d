package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class BenchmarkReportTest {

    @TempDir
    Path dir;

    @Test
    void writesRawResultsThatReadBackToTheSameRun() throws IOException {
        BenchmarkResults results = results(9000);
        BenchmarkReport.write(results, raw(), markdown());

        List<String> csv = Files.readAllLines(raw().resolve("results.csv"));
        assertThat(csv).hasSize(1 + results.measurements().size());
        assertThat(csv.getFirst()).isEqualTo("scenario,subject,engine,concurrency,metric,unit,median,runs");
        assertThat(csv).contains("TOOLS_CALL,switchboard,sqlite,16,THROUGHPUT,requests/s,9000.0,8900.0;9000.0;9100.0",
                "MEMORY,under load (64 concurrent),sqlite,64,RSS,MB,310.0,305.0;310.0;320.0");

        JsonNode json = JsonMapper.shared().readTree(Files.readString(raw().resolve("results.json")));
        assertThat(json.get("measurements")).hasSize(results.measurements().size());
        JsonNode first = json.get("measurements").get(0);
        assertThat(first.get("runs")).extracting(JsonNode::asDouble).containsExactly(9900.0, 10000.0, 10100.0);
        assertThat(first.get("median").asDouble()).isEqualTo(10000.0);
        assertThat(json.get("machine").get("CPU").asString()).isEqualTo("Test CPU @ 2.0GHz");
        assertThat(json.get("targets")).hasSize(2);
        assertThat(RawResults.read(raw().resolve("results.json"))).isEqualTo(results);
    }

    @Test
    void drawsOneReadableChartPerPlotAndLinksEachFromTheReport() throws IOException {
        BenchmarkReport.write(results(9000), raw(), markdown());
        String report = Files.readString(markdown());

        Matcher images = Pattern.compile("!\\[[^]]+]\\(([^)]+\\.png)\\)").matcher(report);
        List<String> linked = new ArrayList<>();
        while (images.find()) {
            linked.add(images.group(1));
        }
        assertThat(linked).containsExactly("benchmarks/tools-call-throughput.png",
                "benchmarks/tools-call-latency.png", "benchmarks/registry-writes-throughput.png",
                "benchmarks/registry-writes-latency.png", "benchmarks/job-claims.png", "benchmarks/startup.png",
                "benchmarks/memory.png");
        for (String link : linked) {
            BufferedImage image = ImageIO.read(markdown().getParent().resolve(link).toFile());
            assertThat(image).as(link).isNotNull();
            assertThat(image.getWidth()).as(link).isGreaterThanOrEqualTo(800);
            assertThat(image.getHeight()).as(link).isGreaterThanOrEqualTo(400);
        }
        try (var files = Files.list(raw())) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".png")))
                    .hasSize(linked.size());
        }
    }

    @Test
    void reportsTargetsMachineAndOneTablePerScenarioPresent() throws IOException {
        BenchmarkReport.write(results(9000), raw(), markdown());
        String report = Files.readString(markdown());

        assertThat(report).startsWith("# Benchmarks\n").contains("`benchmarks/run`",
                "Run of 2026-05-04 09:30:00 UTC, which took 12 min 5 s, with the `full` plan",
                "Each figure is the median of 3 runs.",
                "| CPU | Test CPU @ 2.0GHz |", "| PostgreSQL | 15.8 |",
                "| Target | Measured | Met |",
                "| throughput through Switchboard ≥ 85 % of direct (concurrency 16) | 90.0 % | ✅ |",
                "| p50 added by Switchboard ≤ 1 ms (concurrency 16) | 1.200 ms | ❌ |",
                "## " + Scenario.TOOLS_CALL.title(), "## " + Scenario.STARTUP.title(),
                "## " + Scenario.MEMORY.title());
        assertThat(report).doesNotContain("## " + Scenario.SUPERGATEWAY.title(), "## " + Scenario.TOOLS_LIST.title());

        assertThat(report).contains("| Concurrency | direct (requests/s) | Switchboard (requests/s) | "
                + "Switchboard / direct | direct p50 (ms) | direct p99 (ms) | Switchboard p50 (ms) | "
                + "Switchboard p99 (ms) | added p50 (ms) | added p99 (ms) |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                + "| 1 | 5,000 | 4,500 | 90.0 % | 0.200 | 0.500 | 0.400 | 1.100 | 0.200 | 0.600 |\n"
                + "| 16 | 10,000 | 9,000 | 90.0 % | 1.600 | 4.000 | 2.800 | 6.500 | 1.200 | 2.500 |\n");
        assertThat(report).contains("| Subject | Engine | Concurrency | operations/s | p50 (ms) | p99 (ms) |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: |\n"
                + "| create | SQLite | 8 | 800 | 9.000 | 30.00 |\n"
                + "| update | SQLite | 8 | 640 | 11.25 | 37.50 |\n"
                + "| create | PostgreSQL | 8 | 1,500 | 5.000 | 12.00 |\n");
        assertThat(report).contains("| Engine | Worker processes | claims/s | double claims |\n"
                + "| --- | ---: | ---: | ---: |\n| SQLite | 1 | 450 | 0 |\n| PostgreSQL | 4 | 1,200 | 0 |\n");
        assertThat(report).contains("| Engine | first start (ms) | restart (ms) | migration (ms) "
                + "| first start, as the image runs it (ms) |\n| --- | ---: | ---: | ---: | ---: |\n"
                + "| SQLite | 3,100 | 2,200 | 850.00 | 1,600 |\n| PostgreSQL | 3,400 | – | – | – |\n");
        assertThat(report).contains("| Subject | Engine | Concurrency | RSS (MB) |\n"
                + "| --- | --- | ---: | ---: |\n| idle | SQLite | – | 180.0 |\n"
                + "| under load (64 concurrent) | SQLite | 64 | 310.0 |\n");
    }

    @Test
    void keepsTheHandWrittenPartAndReplacesTheGeneratedOne() throws IOException {
        BenchmarkReport.write(results(9000), raw(), markdown());
        String first = Files.readString(markdown());
        assertThat(first).endsWith(BenchmarkReport.MARKER + "\n\n## Profile and fixes\n\n"
                + "Where a target is missed, the profile, the fix and the figures before and after are recorded "
                + "here.\n");

        String handWritten = "\n### tools/call at concurrency 16\n\nBefore: 9,000 requests/s | after: 9,500.\n"
                + "Kept even with a ## heading, a | pipe and \"quotes\".\n";
        Files.writeString(markdown(), first + handWritten);
        BenchmarkReport.write(results(9500), raw(), markdown());
        String second = Files.readString(markdown());

        assertThat(second).endsWith(first.substring(first.indexOf(BenchmarkReport.MARKER)) + handWritten);
        assertThat(second.split(Pattern.quote(BenchmarkReport.MARKER), -1)).hasSize(2);
        assertThat(second).contains("| 16 | 10,000 | 9,500 | 95.0 % |").doesNotContain("| 16 | 10,000 | 9,000 |");
    }

    @Test
    void startsTheHandWrittenPartWhenAnExistingFileHasNoMarker() throws IOException {
        Files.createDirectories(markdown().getParent());
        Files.writeString(markdown(), "# An older page without the marker\n");
        BenchmarkReport.write(results(9000), raw(), markdown());

        String report = Files.readString(markdown());
        assertThat(report).doesNotContain("An older page").contains("\n\n" + BenchmarkReport.MARKER + "\n\n## Profile");
    }

    @Test
    void writesTheSameFilesForTheSameResults() throws IOException {
        Path other = dir.resolve("again");
        BenchmarkReport.write(results(9000), raw(), markdown());
        BenchmarkReport.write(results(9000), other.resolve("benchmarks"), other.resolve("benchmarks.md"));

        assertThat(Files.readString(other.resolve("benchmarks.md"))).isEqualTo(Files.readString(markdown()));
        for (String file : List.of("results.json", "results.csv", "tools-call-latency.png", "memory.png")) {
            assertThat(Files.readAllBytes(other.resolve("benchmarks").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(raw().resolve(file)));
        }
    }

    @Test
    void rebuildsTheSameReportFromTheRawResultsAlone() throws IOException {
        BenchmarkReport.write(results(9000), raw(), markdown());
        String written = Files.readString(markdown());
        String json = Files.readString(raw().resolve("results.json"));
        Files.delete(raw().resolve("tools-call-throughput.png"));

        BenchmarkReport.main(new String[] {raw().resolve("results.json").toString(), markdown().toString()});

        assertThat(Files.readString(markdown())).isEqualTo(written);
        assertThat(Files.readString(raw().resolve("results.json"))).isEqualTo(json);
        assertThat(raw().resolve("tools-call-throughput.png")).isNotEmptyFile();
    }

    @Test
    void handlesASmokeRunOfOneEngineAndRemovesChartsItNoLongerHasFiguresFor() throws IOException {
        BenchmarkReport.write(results(9000), raw(), markdown());
        BenchmarkResults smoke = new BenchmarkResults(Instant.parse("2026-05-04T10:00:00Z"), 40, Map.of(),
                Plan.smoke(), List.of(
                new Measurement(Scenario.TOOLS_LIST, "switchboard", "sqlite", 2, Metric.THROUGHPUT, List.of(300.0)),
                new Measurement(Scenario.TOOLS_LIST, "switchboard", "sqlite", 2, Metric.P50, List.of(6.25)),
                new Measurement(Scenario.TOOLS_CALL, "switchboard", "sqlite", 4, Metric.THROUGHPUT, List.of(700.0))),
                List.of(), Map.of());
        BenchmarkReport.write(smoke, raw(), markdown());

        String report = Files.readString(markdown());
        assertThat(report).contains("with the `smoke` plan: 1 run of each measurement, each 500 ms without warm-up, in the suite's JVM", "Each figure is the median of 1 run.",
                "No target was checked in this run.", "| Engine | Concurrency | requests/s | p50 (ms) |",
                "| SQLite | 2 | 300 | 6.250 |", "| Subject | Engine | Concurrency | requests/s |",
                "| Switchboard | SQLite | 4 | 700 |");
        assertThat(raw().resolve("tools-list-latency.png")).exists();
        assertThat(raw().resolve("memory.png")).doesNotExist();
        assertThat(Files.readAllLines(raw().resolve("results.csv"))).hasSize(4);
    }

    @Test
    void mergesARunOfOnePartIntoTheEarlierResultsAndSaysWhichRunItsFiguresComeFrom() throws IOException {
        BenchmarkResults full = results(9000);
        BenchmarkResults part = sseRun(Instant.parse("2026-05-05T08:00:00Z"), 1400);
        BenchmarkResults merged = full.merge(part, List.of("sse"),
                BenchmarkSuite.describe(EnumSet.of(BenchmarkSuite.Part.SSE), part));
        BenchmarkReport.write(merged, raw(), markdown());

        assertThat(merged.measurements()).hasSize(full.measurements().size() + part.measurements().size());
        assertThat(merged.startedAt()).isEqualTo(full.startedAt());
        assertThat(merged.machine()).containsEntry("CPU", "Test CPU @ 2.0GHz").containsEntry("nginx", "1.22.1")
                .containsEntry("CPU (later run of 2026-05-05 08:00:00 UTC)", "Other CPU");
        assertThat(merged.targets()).isEqualTo(Targets.check(full.measurements()));
        String report = Files.readString(markdown());
        assertThat(report).contains("The figures of `sse` (" + Scenario.SSE_UPSTREAM.title()
                        + ") come from a later run of 2026-05-05 08:00:00 UTC, with only that part (`--only`), which "
                        + "took 3 min 20 s, with the `full` plan.",
                "## " + Scenario.SSE_UPSTREAM.title(),
                "| Concurrency | Path | requests/s | share of direct | p50 (ms) | p99 (ms) | added p50 (ms) | added p99 (ms) |",
                "| 1 | direct | 1,400 | 100.0 % | 0.500 | 1.000 | – | – |",
                "| 1 | nginx | 1,200 | 85.7 % | 0.650 | 1.200 | 0.150 | 0.200 |",
                "| 1 | Switchboard | 700 | 50.0 % | 1.250 | 2.500 | 0.750 | 1.500 |",
                "benchmarks/sse-upstream-throughput.png", "benchmarks/sse-upstream-latency.png",
                "## " + Scenario.TOOLS_CALL.title());
        assertThat(RawResults.read(raw().resolve("results.json"))).isEqualTo(merged);

        // A second run of the part replaces the first one's figures rather than adding to them.
        BenchmarkResults again = sseRun(Instant.parse("2026-05-06T08:00:00Z"), 1500);
        BenchmarkResults twice = merged.merge(again, List.of("sse"), "second");
        assertThat(twice.measurements()).hasSize(merged.measurements().size());
        assertThat(twice.measurements()).filteredOn(m -> m.scenario() == Scenario.SSE_UPSTREAM
                        && m.subject().equals("direct") && m.metric() == Metric.THROUGHPUT)
                .singleElement().extracting(Measurement::median).isEqualTo(1500.0);
        assertThat(twice.laterRuns()).containsExactly(Map.entry("sse", "second"));
        assertThat(twice.machine()).doesNotContainKey("CPU (later run of 2026-05-05 08:00:00 UTC)");
        BenchmarkResults thrice = merged.merge(again, List.of("sse"),
                BenchmarkSuite.describe(EnumSet.of(BenchmarkSuite.Part.SSE), again));
        assertThat(thrice.machine()).doesNotContainKey("CPU (later run of 2026-05-05 08:00:00 UTC)")
                .containsEntry("CPU (later run of 2026-05-06 08:00:00 UTC)", "Other CPU");
        assertThat(twice.merge(again, List.of("image"), "third").laterRuns()).containsExactly(
                Map.entry("sse", "second"), Map.entry("image", "third"));
    }

    /** A run of the SSE part alone: direct, nginx and Switchboard at concurrency 1. */
    private static BenchmarkResults sseRun(Instant started, double direct) {
        List<Measurement> figures = new ArrayList<>();
        Map<String, double[]> paths = new LinkedHashMap<>();
        paths.put("direct", new double[] {direct, 0.5, 1.0});
        paths.put("nginx", new double[] {1200, 0.65, 1.2});
        paths.put("switchboard", new double[] {700, 1.25, 2.5});
        paths.forEach((subject, values) -> {
            String engine = subject.equals("switchboard") ? "sqlite" : "";
            figures.add(new Measurement(Scenario.SSE_UPSTREAM, subject, engine, 1, Metric.THROUGHPUT,
                    List.of(values[0])));
            figures.add(new Measurement(Scenario.SSE_UPSTREAM, subject, engine, 1, Metric.P50, List.of(values[1])));
            figures.add(new Measurement(Scenario.SSE_UPSTREAM, subject, engine, 1, Metric.P99, List.of(values[2])));
        });
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("CPU", "Other CPU");
        machine.put("nginx", "1.22.1");
        return new BenchmarkResults(started, 200, machine, Plan.full(), figures,
                Targets.check(figures), Map.of());
    }

    private Path raw() {
        return dir.resolve("docs/benchmarks");
    }

    private Path markdown() {
        return dir.resolve("docs/benchmarks.md");
    }

    /** A full run's shape with round figures; {@code switchboardAt16} moves one figure between writes. */
    private static BenchmarkResults results(double switchboardAt16) {
        List<Measurement> figures = new ArrayList<>();
        figures.add(around(Scenario.TOOLS_CALL, "direct", "", 16, Metric.THROUGHPUT, 10000, 100));
        figures.add(around(Scenario.TOOLS_CALL, "switchboard", "sqlite", 16, Metric.THROUGHPUT, switchboardAt16, 100));
        figures.add(around(Scenario.TOOLS_CALL, "direct", "", 1, Metric.THROUGHPUT, 5000, 50));
        figures.add(around(Scenario.TOOLS_CALL, "switchboard", "sqlite", 1, Metric.THROUGHPUT, 4500, 50));
        for (int concurrency : List.of(1, 16)) {
            double scale = concurrency == 1 ? 1 : 8;
            figures.add(around(Scenario.TOOLS_CALL, "direct", "", concurrency, Metric.P50, 0.2 * scale, 0.01));
            figures.add(around(Scenario.TOOLS_CALL, "direct", "", concurrency, Metric.P99, 0.5 * scale, 0.01));
            figures.add(around(Scenario.TOOLS_CALL, "switchboard", "sqlite", concurrency, Metric.P50,
                    concurrency == 1 ? 0.4 : 2.8, 0.01));
            figures.add(around(Scenario.TOOLS_CALL, "switchboard", "sqlite", concurrency, Metric.P99,
                    concurrency == 1 ? 1.1 : 6.5, 0.01));
        }
        for (String engine : List.of("sqlite", "postgresql")) {
            boolean sqlite = engine.equals("sqlite");
            for (String subject : List.of("create", "update")) {
                double slower = subject.equals("update") ? 1.25 : 1;
                figures.add(around(Scenario.REGISTRY_WRITES, subject, engine, 8, Metric.OPERATIONS,
                        (sqlite ? 800 : 1500) / slower, 20));
                figures.add(around(Scenario.REGISTRY_WRITES, subject, engine, 8, Metric.P50,
                        (sqlite ? 9 : 5) * slower, 0.5));
                figures.add(around(Scenario.REGISTRY_WRITES, subject, engine, 8, Metric.P99,
                        (sqlite ? 30 : 12) * slower, 1));
            }
            figures.add(around(Scenario.JOB_CLAIMS, "claims", engine, sqlite ? 1 : 4, Metric.CLAIMS,
                    sqlite ? 450 : 1200, 10));
            figures.add(new Measurement(Scenario.JOB_CLAIMS, "claims", engine, sqlite ? 1 : 4, Metric.DOUBLE_CLAIMS,
                    List.of(0.0, 0.0, 0.0)));
        }
        figures.add(around(Scenario.STARTUP, "first start", "sqlite", 0, Metric.READY, 3100, 50));
        figures.add(around(Scenario.STARTUP, "restart", "sqlite", 0, Metric.READY, 2200, 50));
        figures.add(around(Scenario.STARTUP, "migration", "sqlite", 0, Metric.MIGRATION, 850, 10));
        // Measured on one engine only: its chart has a gap where the other engine's bar would be.
        figures.add(around(Scenario.STARTUP, ImageScenarios.FIRST_START, "sqlite", 0, Metric.READY, 1600, 50));
        figures.add(around(Scenario.STARTUP, "first start", "postgresql", 0, Metric.READY, 3400, 50));
        figures.add(around(Scenario.MEMORY, "idle", "sqlite", 0, Metric.RSS, 180, 2));
        figures.add(new Measurement(Scenario.MEMORY, "under load (64 concurrent)", "sqlite", 64, Metric.RSS,
                List.of(305.0, 310.0, 320.0)));

        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("CPU", "Test CPU @ 2.0GHz");
        machine.put("Cores", "2");
        machine.put("PostgreSQL", "15.8");
        List<TargetCheck> targets = List.of(
                new TargetCheck("throughput through Switchboard ≥ 85 % of direct (concurrency 16)", "90.0 %", true),
                new TargetCheck("p50 added by Switchboard ≤ 1 ms (concurrency 16)", "1.200 ms", false));
        return new BenchmarkResults(Instant.parse("2026-05-04T09:30:00Z"), 725, machine, Plan.full(), figures,
                targets, Map.of());
    }

    /** Three runs whose median is {@code median}: one below, one at, one above. */
    private static Measurement around(Scenario scenario, String subject, String engine, int concurrency,
                                      Metric metric, double median, double spread) {
        return new Measurement(scenario, subject, engine, concurrency, metric,
                List.of(median - spread, median, median + spread));
    }
}
