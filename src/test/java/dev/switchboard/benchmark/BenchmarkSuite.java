package dev.switchboard.benchmark;

import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark suite: every scenario of docs/benchmarks.md in one run, on every engine the run was given
 * (SWITCHBOARD_TEST_ENGINES and its URLs, as for the tests), written as raw results, charts and Markdown.
 *
 * <p>{@code benchmarks/run} runs it at full size; {@code BenchmarkSmokeTest} runs it tiny in the normal test run.
 * Arguments: {@code --plan full|smoke}, {@code --out DIR} (benchmarks.md and benchmarks/ go there),
 * {@code --jar PATH} (the built switchboard.jar; without it the gateway runs from this classpath).
 */
public final class BenchmarkSuite {

    private final Plan plan;
    private final Optional<Path> jar;
    private final Path work;

    public BenchmarkSuite(Plan plan, Optional<Path> jar, Path work) {
        this.plan = plan;
        this.jar = jar;
        this.work = work;
    }

    public static void main(String[] args) throws IOException {
        Plan plan = Plan.full();
        Path out = Path.of("docs");
        Optional<Path> jar = Optional.empty();
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--plan" -> plan = value.equals("smoke") ? Plan.smoke() : Plan.full();
                case "--out" -> out = Path.of(value);
                case "--jar" -> jar = Optional.of(Path.of(value).toAbsolutePath());
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --plan full|smoke, --out DIR, --jar PATH");
            }
        }
        // A folder per run: claim files and logs of an earlier run must not meet this one's.
        Path work = Files.createDirectories(Path.of("target", "benchmark-work",
                Long.toString(System.currentTimeMillis())));
        BenchmarkResults results = new BenchmarkSuite(plan, jar, work).run(TestEngines.all());
        BenchmarkReport.write(results, out.resolve("benchmarks"), out.resolve("benchmarks.md"));
        results.targets().forEach(t -> System.out.printf("%s %s: %s%n", t.met() ? "met   " : "MISSED", t.target(),
                t.measured()));
        System.out.printf("Benchmarks done in %d s: %s (%d requests sent again after a broken connection)%n",
                results.seconds(), out.resolve("benchmarks.md"), McpLoad.RETRIES.get());
        // Engines started for the run (embedded servers) stop in their shutdown hooks.
        System.exit(0);
    }

    /** Runs every scenario on {@code engines}; the calling scenarios run on embedded SQLite, the default. */
    public BenchmarkResults run(List<TestEngine> engines) {
        Instant started = Instant.now();
        List<Measurement> measurements = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        Launch plain = Launch.plain(jar);
        say("tools/call, supergateway and memory, on sqlite");
        measurements.addAll(new CallScenarios(plan, plain, work).run(TestEngines.scratchDatabaseUrl(), "sqlite"));
        for (TestEngine engine : engines) {
            String name = engine.engine().id();
            say("start-up, tools/list and registry writes on " + name);
            measurements.addAll(new EngineScenarios(plan, plain, work).run(engine, name, versions));
            say("job claims on " + name);
            measurements.addAll(JobClaims.run(plan, engine, work));
        }
        say("start-up and idle memory as the image runs the gateway (extracted, AOT cache), on sqlite");
        measurements.addAll(new ImageScenarios(plan, Launch.asImage(jar, work), work).run());
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        return new BenchmarkResults(started, seconds, MachineFacts.describe(Path.of("").toAbsolutePath(), versions), plan, measurements,
                Targets.check(measurements));
    }

    private static void say(String what) {
        System.out.printf("[benchmarks %s] %s%n", Instant.now(), what);
    }
}
