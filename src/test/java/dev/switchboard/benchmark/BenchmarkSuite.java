package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The benchmark suite: every scenario of docs/benchmarks.md in one run, on every engine the run was given
 * (SWITCHBOARD_TEST_ENGINES and its URLs, as for the tests), written as raw results, charts and Markdown.
 *
 * <p>{@code benchmarks/run} runs it at full size; {@code BenchmarkSmokeTest} runs it tiny in the normal test run.
 * Arguments: {@code --plan full|smoke}, {@code --out DIR} (benchmarks.md and benchmarks/ go there),
 * {@code --jar PATH} (the built switchboard.jar; without it the gateway runs from this classpath),
 * {@code --only PART[,PART]} (run only these parts, see {@link Part}: their figures are merged into the results
 * already in DIR, replacing those they measure again, and the report says which run each part comes from).
 */
public final class BenchmarkSuite {

    /** The parts of the suite that {@code --only} names, each a group of scenarios measured together. */
    public enum Part {
        /** tools/call of the fast upstream, the supergateway comparison and the gateway's memory (java -jar). */
        CALLS("calls"),
        /** tools/call of server-everything over Streamable HTTP: direct, behind nginx and through Switchboard. */
        SSE("sse"),
        /** start-up, tools/list and registry writes on every engine. */
        ENGINES("engines"),
        /** job claims by competing worker processes on every engine. */
        CLAIMS("claims"),
        /** a client's message passed on to the replica running its call, on every server engine. */
        REPLICAS("replicas"),
        /** tools/call with sessions in the registry and in memory, on every engine. */
        SESSIONS("sessions"),
        /** start-up and idle memory as the image runs the gateway. */
        IMAGE("image");

        private final String argument;

        Part(String argument) {
            this.argument = argument;
        }

        public String argument() {
            return argument;
        }

        static Set<Part> parse(String list) {
            Set<Part> parts = EnumSet.noneOf(Part.class);
            for (String name : list.split(",")) {
                parts.add(Arrays.stream(values()).filter(part -> part.argument.equals(name.strip())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown part " + name + "; the parts are "
                                + Arrays.stream(values()).map(Part::argument).toList())));
            }
            return parts;
        }
    }

    private final Plan plan;
    private final Optional<Path> jar;
    private final Path work;
    private final Set<Part> parts;

    /** The whole suite. */
    public BenchmarkSuite(Plan plan, Optional<Path> jar, Path work) {
        this(plan, jar, work, EnumSet.allOf(Part.class));
    }

    public BenchmarkSuite(Plan plan, Optional<Path> jar, Path work, Set<Part> parts) {
        this.plan = plan;
        this.jar = jar;
        this.work = work;
        this.parts = EnumSet.noneOf(Part.class);
        this.parts.addAll(parts);
    }

    public static void main(String[] args) throws IOException {
        Plan plan = Plan.full();
        Path out = Path.of("docs");
        Optional<Path> jar = Optional.empty();
        Set<Part> parts = EnumSet.allOf(Part.class);
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--plan" -> plan = value.equals("smoke") ? Plan.smoke() : Plan.full();
                case "--out" -> out = Path.of(value);
                case "--jar" -> jar = Optional.of(Path.of(value).toAbsolutePath());
                case "--only" -> parts = Part.parse(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --plan full|smoke, --out DIR, --jar PATH, --only PART[,PART]");
            }
        }
        try {
            run(plan, out, jar, parts);
        } catch (RuntimeException | IOException e) {
            // Embedded engines keep threads alive: without an exit a failed run would hang instead of ending.
            e.printStackTrace();
            System.exit(1);
        }
        // Engines started for the run (embedded servers) stop in their shutdown hooks.
        System.exit(0);
    }

    private static void run(Plan plan, Path out, Optional<Path> jar, Set<Part> parts) throws IOException {
        // A folder per run: claim files and logs of an earlier run must not meet this one's.
        Path work = Files.createDirectories(Path.of("target", "benchmark-work",
                Long.toString(System.currentTimeMillis())));
        // The engines are started (embedded servers, where no URL is given) only for the parts that use them.
        boolean engines = parts.contains(Part.ENGINES) || parts.contains(Part.CLAIMS)
                || parts.contains(Part.REPLICAS) || parts.contains(Part.SESSIONS);
        BenchmarkResults measured = new BenchmarkSuite(plan, jar, work, parts)
                .run(engines ? TestEngines.all() : List.of());
        BenchmarkResults results = measured;
        Path earlier = out.resolve("benchmarks").resolve(RawResults.JSON);
        if (!parts.equals(EnumSet.allOf(Part.class)) && Files.exists(earlier)) {
            results = RawResults.read(earlier).merge(measured, parts.stream().map(Part::argument).toList(),
                    describe(parts, measured));
        }
        BenchmarkReport.write(results, out.resolve("benchmarks"), out.resolve("benchmarks.md"));
        results.targets().forEach(t -> System.out.printf("%s %s: %s%n", t.met() ? "met   " : "MISSED", t.target(),
                t.measured()));
        System.out.printf("Benchmarks done in %d s: %s (%d requests sent again after a broken connection)%n",
                measured.seconds(), out.resolve("benchmarks.md"), McpLoad.RETRIES.get());
    }

    /**
     * Runs the scenarios of the suite's parts on {@code engines}; the calling scenarios run on embedded SQLite, the
     * default.
     */
    public BenchmarkResults run(List<TestEngine> engines) {
        Instant started = Instant.now();
        List<Measurement> measurements = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        Launch plain = Launch.plain(jar);
        if (parts.contains(Part.CALLS)) {
            say("tools/call, supergateway and memory, on sqlite");
            measurements.addAll(new CallScenarios(plan, plain, work).run(TestEngines.scratchDatabaseUrl(), "sqlite"));
        }
        if (parts.contains(Part.SSE)) {
            say("tools/call of server-everything over Streamable HTTP: direct, behind nginx and through Switchboard, "
                    + "on sqlite");
            measurements.addAll(new SseUpstreamScenarios(plan, plain, work, SseUpstreamScenarios.findNginx())
                    .run(TestEngines.scratchDatabaseUrl(), "sqlite", versions));
        }
        for (TestEngine engine : engines) {
            String name = engine.engine().id();
            if (parts.contains(Part.ENGINES)) {
                say("start-up, tools/list and registry writes on " + name);
                measurements.addAll(new EngineScenarios(plan, plain, work).run(engine, name, versions));
            }
            if (parts.contains(Part.CLAIMS)) {
                say("job claims on " + name);
                measurements.addAll(JobClaims.run(plan, engine, work));
            }
            if (parts.contains(Part.REPLICAS) && !Dialect.of(engine.engine()).embedded()) {
                say("a client's messages for a call on another replica, on " + name);
                measurements.addAll(new ReplicaScenarios(plan, plain, work).run(engine, name));
            }
            if (parts.contains(Part.SESSIONS)) {
                say("tools/call with sessions in the registry and in memory, on " + name);
                measurements.addAll(new SessionScenarios(plan, plain, work).run(engine, name));
            }
        }
        if (parts.contains(Part.IMAGE)) {
            say("start-up and idle memory as the image runs the gateway (extracted, AOT cache), on sqlite");
            measurements.addAll(new ImageScenarios(plan, Launch.asImage(jar, work), work).run());
        }
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        return new BenchmarkResults(started, seconds, MachineFacts.describe(Path.of("").toAbsolutePath(), versions),
                plan, measurements, Targets.check(measurements), Map.of());
    }

    /** The report's sentence for a run of some parts merged into an earlier run's results. */
    static String describe(Set<Part> parts, BenchmarkResults part) {
        return "The figures of " + Figures.list(parts.stream().map(p -> "`" + p.argument() + "`").toList())
                + " (" + Figures.list(parts.stream().map(BenchmarkSuite::scenarios).toList())
                + ") come from a later run of " + BenchmarkReport.STARTED.format(part.startedAt()) + ", with only "
                + (parts.size() == 1 ? "that part" : "those parts") + " (`--only`), which took "
                + Figures.duration(part.seconds()) + ", with the `" + part.plan().name() + "` plan.";
    }

    private static String scenarios(Part part) {
        return switch (part) {
            case CALLS -> Scenario.TOOLS_CALL.title() + "; " + Scenario.SUPERGATEWAY.title()
                    + "; the memory of java -jar";
            case SSE -> Scenario.SSE_UPSTREAM.title();
            case ENGINES -> "start-up, tools/list and registry writes";
            case CLAIMS -> Scenario.JOB_CLAIMS.title();
            case REPLICAS -> Scenario.REPLICA_DELIVERY.title();
            case SESSIONS -> Scenario.SESSIONS.title();
            case IMAGE -> "start-up and memory as the image runs the gateway";
        };
    }

    private static void say(String what) {
        System.out.printf("[benchmarks %s] %s%n", Instant.now(), what);
    }
}
