package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.testing.TestEngines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up and idle memory of the gateway as the container image runs it (see {@link Launch#asImage}), on SQLite,
 * the image's default and the engine the start-up target names.
 */
final class ImageScenarios {

    static final String FIRST_START = "first start, as the image runs it";
    static final String RESTART = "restart, as the image runs it";
    static final String IDLE = "idle, as the image runs it";

    private final Plan plan;
    private final Launch image;
    private final Path work;

    ImageScenarios(Plan plan, Launch image, Path work) {
        this.plan = plan;
        this.image = image;
        this.work = work;
    }

    List<Measurement> run() {
        List<Double> firstStarts = new ArrayList<>();
        List<Double> restarts = new ArrayList<>();
        List<Double> idle = new ArrayList<>();
        for (int i = 0; i < plan.repetitions(); i++) {
            String url = TestEngines.scratchDatabaseUrl();
            String key = GatewayProcess.newSecretKey();
            try (GatewayProcess first = GatewayProcess.start(image, url, key, work.resolve("image-first-" + i + ".log"))) {
                firstStarts.add(EngineScenarios.millis(first.ready()));
            }
            try (GatewayProcess again = GatewayProcess.start(image, url, key,
                    work.resolve("image-restart-" + i + ".log"))) {
                restarts.add(EngineScenarios.millis(again.ready()));
                // As the plain gateway's idle figure: after start-up has settled, with nothing asked of it.
                GatewayProcess.sleep(plan.name().equals("smoke") ? 200 : 3000);
                idle.add(again.process().residentMegabytes());
            }
        }
        return List.of(
                new Measurement(Scenario.STARTUP, FIRST_START, "sqlite", 0, Metric.READY, firstStarts),
                new Measurement(Scenario.STARTUP, RESTART, "sqlite", 0, Metric.READY, restarts),
                new Measurement(Scenario.MEMORY, IDLE, "sqlite", 0, Metric.RSS, idle));
    }
}
