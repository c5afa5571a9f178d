package dev.switchboard.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole benchmark suite at smoke size (half-second runs, a catalog of 20, two claim workers) on every engine of
 * the run: every scenario must produce its figures, and the raw results, charts and Markdown must be written. The
 * nginx path of the SSE upstream scenario needs nginx: where it is missing that path is skipped with a message,
 * except under CI=true, where the suite fails (.ci/run installs it). The
 * figures themselves are not judged here; the full run (benchmarks/run) is what docs/benchmarks.md reports.
 */
class BenchmarkSmokeTest {

    @Tag(TestEngines.TAG)
    @Test
    void everyScenarioRunsAndTheReportIsWritten(@TempDir Path out) throws IOException {
        List<TestEngine> engines = TestEngines.all();
        BenchmarkResults results = new BenchmarkSuite(Plan.smoke(), Optional.empty(), out.resolve("work"))
                .run(engines);
        BenchmarkReport.write(results, out.resolve("benchmarks"), out.resolve("benchmarks.md"));

        for (String subject : List.of("direct", "switchboard")) {
            for (int concurrency : Plan.smoke().concurrencies()) {
                assertPositive(results, Scenario.TOOLS_CALL, subject, concurrency, Metric.THROUGHPUT);
                assertPositive(results, Scenario.TOOLS_CALL, subject, concurrency, Metric.P99);
            }
        }
        // nginx is measured where it is installed; without it (outside CI) the suite said it skipped that path.
        List<String> sseSubjects = NginxProxy.binary().isPresent()
                ? List.of(SseUpstreamScenarios.DIRECT, SseUpstreamScenarios.NGINX, SseUpstreamScenarios.SWITCHBOARD)
                : List.of(SseUpstreamScenarios.DIRECT, SseUpstreamScenarios.SWITCHBOARD);
        for (String subject : sseSubjects) {
            for (int concurrency : Plan.smoke().concurrencies()) {
                assertPositive(results, Scenario.SSE_UPSTREAM, subject, concurrency, Metric.THROUGHPUT);
                assertPositive(results, Scenario.SSE_UPSTREAM, subject, concurrency, Metric.P99);
            }
        }
        for (String subject : List.of("supergateway", "switchboard")) {
            assertPositive(results, Scenario.SUPERGATEWAY, subject, Plan.smoke().peerConcurrency(), Metric.THROUGHPUT);
        }
        assertThat(results.measurements()).filteredOn(m -> m.scenario() == Scenario.MEMORY)
                .extracting(Measurement::subject).contains("idle", ImageScenarios.IDLE).hasSize(3);
        assertThat(results.measurements()).filteredOn(m -> m.scenario() == Scenario.STARTUP && m.engine().equals("sqlite"))
                .extracting(Measurement::subject).contains(ImageScenarios.FIRST_START, ImageScenarios.RESTART);
        for (TestEngine engine : engines) {
            String name = engine.engine().id();
            assertThat(results.measurements()).filteredOn(m -> m.engine().equals(name))
                    .extracting(m -> m.scenario() + " " + m.subject() + " " + m.metric())
                    .contains("STARTUP first start READY", "STARTUP restart READY", "STARTUP migration MIGRATION",
                            "TOOLS_LIST switchboard OPERATIONS", "REGISTRY_WRITES create OPERATIONS",
                            "REGISTRY_WRITES update OPERATIONS", "JOB_CLAIMS claims CLAIMS",
                            "JOB_CLAIMS claims DOUBLE_CLAIMS");
            assertThat(results.measurements()).filteredOn(m -> m.engine().equals(name)
                            && m.metric() != Metric.DOUBLE_CLAIMS)
                    .allSatisfy(m -> assertThat(m.median()).as(m.toString()).isPositive());
            assertThat(results.measurements()).filteredOn(m -> m.engine().equals(name)
                            && m.metric() == Metric.DOUBLE_CLAIMS)
                    .allSatisfy(m -> assertThat(m.runs()).as(m.toString()).containsOnly(0.0));
            for (String subject : SessionScenarios.SUBJECTS) {
                for (int clients : List.of(1, Plan.smoke().peerConcurrency())) {
                    assertPositive(results, Scenario.SESSIONS, subject, name, clients, Metric.THROUGHPUT);
                    assertPositive(results, Scenario.SESSIONS, subject, name, clients, Metric.P99);
                }
            }
            if (!Dialect.of(engine.engine()).embedded()) {
                for (String subject : ReplicaScenarios.SUBJECTS) {
                    for (int clients : List.of(1, Plan.smoke().peerConcurrency())) {
                        assertPositive(results, Scenario.REPLICA_DELIVERY, subject, name, clients, Metric.P50);
                        assertPositive(results, Scenario.REPLICA_DELIVERY, subject, name, clients, Metric.P99);
                    }
                }
            }
        }
        assertThat(results.targets()).isNotEmpty();

        Path raw = out.resolve("benchmarks");
        assertThat(Files.readAllLines(raw.resolve("results.csv"))).hasSize(results.measurements().size() + 1);
        assertThat(Files.readString(raw.resolve("results.json"))).contains("\"measurements\"");
        String markdown = Files.readString(out.resolve("benchmarks.md"));
        for (Scenario scenario : Scenario.values()) {
            assertThat(markdown).contains(scenario.title());
        }
        assertThat(markdown).contains(BenchmarkReport.MARKER);
        try (Stream<Path> files = Files.list(raw)) {
            List<Path> charts = files.filter(p -> p.toString().endsWith(".png")).toList();
            assertThat(charts).hasSizeGreaterThanOrEqualTo(Scenario.values().length);
            for (Path chart : charts) {
                assertThat(ImageIO.read(chart.toFile())).as(chart.toString()).isNotNull();
                assertThat(markdown).contains(chart.getFileName().toString());
            }
        }
    }

    private static void assertPositive(BenchmarkResults results, Scenario scenario, String subject, String engine,
                                       int concurrency, Metric metric) {
        assertThat(results.measurements()).filteredOn(m -> m.scenario() == scenario && m.subject().equals(subject)
                        && m.engine().equals(engine) && m.concurrency() == concurrency && m.metric() == metric)
                .as(scenario + " " + subject + " " + engine + " " + concurrency + " " + metric).singleElement()
                .satisfies(m -> assertThat(m.median()).isPositive());
    }

    private static void assertPositive(BenchmarkResults results, Scenario scenario, String subject, int concurrency,
                                       Metric metric) {
        assertThat(results.measurements()).filteredOn(m -> m.scenario() == scenario && m.subject().equals(subject)
                        && m.concurrency() == concurrency && m.metric() == metric)
                .as(scenario + " " + subject + " " + concurrency + " " + metric).singleElement()
                .satisfies(m -> assertThat(m.median()).isPositive());
    }
}
