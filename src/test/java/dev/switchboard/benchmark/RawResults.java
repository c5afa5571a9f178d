package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's raw results beside the report: results.json holds everything, every run of every figure, so the report
 * can be checked or rebuilt without running the suite again; results.csv holds one row per figure for spreadsheets.
 */
public final class RawResults {

    static final String JSON = "results.json";
    static final String CSV = "results.csv";

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private RawResults() {
    }

    /** Writes results.json and results.csv into {@code directory}, creating it if needed. */
    public static void write(BenchmarkResults results, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(JSON), MAPPER.writeValueAsString(json(results)) + "\n");
            Files.writeString(directory.resolve(CSV), csv(results));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the raw results to " + directory, e);
        }
    }

    /** Reads a results.json this class wrote, e.g. to rebuild docs/benchmarks.md after changing the report. */
    public static BenchmarkResults read(Path json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
        Map<String, String> machine = new LinkedHashMap<>();
        root.get("machine").properties().forEach(fact -> machine.put(fact.getKey(), fact.getValue().asString()));
        List<Measurement> measurements = new ArrayList<>();
        for (JsonNode m : root.get("measurements")) {
            List<Double> runs = new ArrayList<>();
            m.get("runs").forEach(run -> runs.add(run.asDouble()));
            measurements.add(new Measurement(Scenario.valueOf(m.get("scenario").asString()),
                    m.get("subject").asString(), m.get("engine").asString(), m.get("concurrency").asInt(),
                    Metric.valueOf(m.get("metric").asString()), runs));
        }
        List<TargetCheck> targets = new ArrayList<>();
        for (JsonNode t : root.get("targets")) {
            targets.add(new TargetCheck(t.get("target").asString(), t.get("measured").asString(),
                    t.get("met").asBoolean()));
        }
        Map<String, String> laterRuns = new LinkedHashMap<>();
        // Absent from results written before runs of a part of the suite could be merged in.
        root.path("laterRuns").properties().forEach(run -> laterRuns.put(run.getKey(), run.getValue().asString()));
        return new BenchmarkResults(Instant.parse(root.get("startedAt").asString()), root.get("seconds").asLong(),
                machine, plan(root.get("plan")), measurements, targets, laterRuns);
    }

    private static ObjectNode json(BenchmarkResults results) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("startedAt", results.startedAt().toString());
        root.put("seconds", results.seconds());
        ObjectNode machine = root.putObject("machine");
        results.machine().forEach(machine::put);
        Plan plan = results.plan();
        ObjectNode planNode = root.putObject("plan");
        planNode.put("name", plan.name());
        planNode.put("repetitions", plan.repetitions());
        planNode.put("steadyState", plan.steadyState().toString());
        planNode.put("warmup", plan.warmup().toString());
        planNode.put("measure", plan.measure().toString());
        planNode.put("forks", plan.forks());
        ArrayNode concurrencies = planNode.putArray("concurrencies");
        plan.concurrencies().forEach(concurrencies::add);
        planNode.put("peerConcurrency", plan.peerConcurrency());
        planNode.put("catalogSize", plan.catalogSize());
        planNode.put("writeConcurrency", plan.writeConcurrency());
        planNode.put("claimWorkers", plan.claimWorkers());
        planNode.put("claimJobs", plan.claimJobs());
        ArrayNode measurements = root.putArray("measurements");
        for (Measurement m : results.measurements()) {
            ObjectNode node = measurements.addObject();
            node.put("scenario", m.scenario().name());
            node.put("subject", m.subject());
            node.put("engine", m.engine());
            node.put("concurrency", m.concurrency());
            node.put("metric", m.metric().name());
            node.put("unit", m.metric().unit());
            node.put("median", m.median());
            ArrayNode runs = node.putArray("runs");
            m.runs().forEach(runs::add);
        }
        ObjectNode laterRuns = root.putObject("laterRuns");
        results.laterRuns().forEach(laterRuns::put);
        ArrayNode targets = root.putArray("targets");
        for (TargetCheck check : results.targets()) {
            targets.addObject().put("target", check.target()).put("measured", check.measured())
                    .put("met", check.met());
        }
        return root;
    }

    private static Plan plan(JsonNode node) {
        List<Integer> concurrencies = new ArrayList<>();
        node.get("concurrencies").forEach(c -> concurrencies.add(c.asInt()));
        return new Plan(node.get("name").asString(), node.get("repetitions").asInt(),
                Duration.parse(node.get("steadyState").asString()), Duration.parse(node.get("warmup").asString()), Duration.parse(node.get("measure").asString()),
                node.get("forks").asInt(), concurrencies, node.get("peerConcurrency").asInt(),
                node.get("catalogSize").asInt(), node.get("writeConcurrency").asInt(),
                node.get("claimWorkers").asInt(), node.get("claimJobs").asInt());
    }

    private static String csv(BenchmarkResults results) {
        StringBuilder csv = new StringBuilder("scenario,subject,engine,concurrency,metric,unit,median,runs\n");
        for (Measurement m : results.measurements()) {
            List<String> runs = m.runs().stream().map(Figures::raw).toList();
            csv.append(String.join(",", m.scenario().name(), field(m.subject()), field(m.engine()),
                    Integer.toString(m.concurrency()), m.metric().name(), field(m.metric().unit()),
                    Figures.raw(m.median()), String.join(";", runs))).append('\n');
        }
        return csv.toString();
    }

    /** Quotes a field only when it needs it (RFC 4180), so plain fields stay plain. */
    private static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
