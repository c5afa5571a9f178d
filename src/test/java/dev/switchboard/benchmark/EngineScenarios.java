package dev.switchboard.benchmark;

import dev.switchboard.benchmark.CallScenarios.Series;
import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.testing.TestEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scenarios that depend on the registry's engine, run on each: cold start to /ready on an empty database
 * (which includes its migration) and on a migrated one, the migration alone, tools/list on a catalog of
 * {@link Plan#catalogSize()} tools, and registry writes (create and update) through the REST API.
 */
final class EngineScenarios {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Plan plan;
    private final Launch launch;
    private final Path work;

    EngineScenarios(Plan plan, Launch launch, Path work) {
        this.plan = plan;
        this.launch = launch;
        this.work = work;
    }

    /** Runs every engine scenario on {@code engine}; {@code versions} receives the engine's version. */
    List<Measurement> run(TestEngine engine, String name, Map<String, String> versions) {
        List<Measurement> measurements = new ArrayList<>();
        List<Double> firstStarts = new ArrayList<>();
        List<Double> restarts = new ArrayList<>();
        List<Double> migrations = new ArrayList<>();
        GatewayProcess kept = null;
        for (int i = 0; i < plan.repetitions(); i++) {
            String url = engine.newDatabaseUrl();
            String key = GatewayProcess.newSecretKey();
            try (GatewayProcess first = GatewayProcess.start(launch, url, key, work.resolve(name + "-first-" + i + ".log"))) {
                firstStarts.add(millis(first.ready()));
                migrations.add(millis(first.migration().orElseThrow(() -> new IllegalStateException(
                        "the gateway on an empty " + name + " database logged no migration"))));
                String[] described = first.databaseDescription().split(" ", 2);
                versions.put(described[0], described.length > 1 ? described[1] : "unknown");
            }
            GatewayProcess again = GatewayProcess.start(launch, url, key, work.resolve(name + "-restart-" + i + ".log"));
            restarts.add(millis(again.ready()));
            if (i == plan.repetitions() - 1) {
                kept = again;
            } else {
                again.close();
            }
        }
        measurements.add(new Measurement(Scenario.STARTUP, "first start", name, 0, Metric.READY, firstStarts));
        measurements.add(new Measurement(Scenario.STARTUP, "restart", name, 0, Metric.READY, restarts));
        measurements.add(new Measurement(Scenario.STARTUP, "migration", name, 0, Metric.MIGRATION, migrations));
        try (GatewayProcess gateway = kept) {
            // Seeding drives the gateway's write path for a thousand requests: warm enough for figures without
            // targets, and each measured run still has its own warm-up.
            seedCatalog(gateway);
            Series list = new Series();
            for (int i = 0; i < plan.repetitions(); i++) {
                list.add(LoadRun.run(plan, McpLoad.class, "toolsList", plan.peerConcurrency(), Map.of(
                        "url", gateway.baseUrl() + "/mcp", "authorization", gateway.authorization(),
                        "expectedTools", Integer.toString(plan.catalogSize()))));
            }
            // One operation is the whole catalog: every page of tools/list, as a client reads it.
            list.addTo(measurements, Scenario.TOOLS_LIST, "switchboard", name, plan.peerConcurrency(),
                    Metric.OPERATIONS);
            for (String write : List.of("create", "update")) {
                Series writes = new Series();
                for (int i = 0; i < plan.repetitions(); i++) {
                    writes.add(LoadRun.run(plan, RegistryLoad.class, write, plan.writeConcurrency(), Map.of(
                            "baseUrl", gateway.baseUrl(), "authorization", gateway.authorization())));
                }
                writes.addTo(measurements, Scenario.REGISTRY_WRITES, write, name, plan.writeConcurrency(),
                        Metric.OPERATIONS);
            }
        }
        return measurements;
    }

    /** Fills the catalog with REST tools, eight requests at a time; tools/list then checks that it sees them all. */
    private void seedCatalog(GatewayProcess gateway) {
        try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < plan.catalogSize(); i++) {
                String body = RegistryLoad.tool("catalog-" + i, 0);
                created.add(writers.submit(() -> gateway.send("POST", "/v1/tools", JSON.readTree(body), 201)));
            }
            for (Future<?> write : created) {
                write.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("seeding the catalog failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double millis(java.time.Duration duration) {
        return duration.toNanos() / 1e6;
    }
}
