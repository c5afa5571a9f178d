package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.NodeUpstreams;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The scenarios that call tools: a trivial tool of a fast upstream directly and through Switchboard at each
 * concurrency; server-everything over stdio behind Switchboard and behind supergateway; and the gateway's resident
 * memory idle and under the highest concurrency. Direct and gateway runs alternate, so drift on the machine
 * touches both alike.
 */
final class CallScenarios {

    private static final String FAST_TOOL = "text";
    private static final String FAST_ARGUMENTS = "{\"name\":\"benchmark\"}";
    private static final String ECHO_TOOL = "echo";
    private static final String ECHO_ARGUMENTS = "{\"message\":\"benchmark\"}";

    /**
     * The tools/call targets are driven this many times the plan's steady-state time before they are measured. On
     * this machine a gateway under load at concurrency 16 still served 75 % more calls per second in its second
     * minute than in its first (the JIT is still compiling the longer call path), so one steady-state period
     * measured a cold gateway.
     */
    static final int STEADY_STATE_ROUNDS = 6;

    private final Plan plan;
    private final Launch launch;
    private final Path work;
    private final List<Measurement> measurements = new ArrayList<>();

    CallScenarios(Plan plan, Launch launch, Path work) {
        this.plan = plan;
        this.launch = launch;
        this.work = work;
    }

    /** Runs every calling scenario against one gateway on {@code databaseUrl}; returns their figures. */
    List<Measurement> run(String databaseUrl, String engine) {
        int upstreamPort = LoopbackPorts.free();
        try (ChildProcess upstream = ChildProcess.java(FastUpstream.class.getName(), List.of("-Xmx512m"),
                List.of(Integer.toString(upstreamPort)), Map.of(), work.resolve("fast-upstream.log"));
             GatewayProcess gateway = GatewayProcess.start(launch, databaseUrl, GatewayProcess.newSecretKey(),
                     work.resolve("gateway-calls.log"))) {
            awaitListening(upstream, upstreamPort);
            String direct = "http://127.0.0.1:" + upstreamPort + "/mcp";
            register(gateway, Map.of("name", "fast", "slug", "fast", "url", direct, "transport", "streamable_http"));
            measureIdleMemory(gateway, engine);
            toolsCall(gateway, direct, engine);
            supergateway(gateway, engine);
        }
        return measurements;
    }

    /** After start-up and registration, with nothing asked of it: what an operator sees on a quiet replica. */
    private void measureIdleMemory(GatewayProcess gateway, String engine) {
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < plan.repetitions(); i++) {
            GatewayProcess.sleep(plan.name().equals("smoke") ? 200 : 1000);
            runs.add(gateway.process().residentMegabytes());
        }
        measurements.add(new Measurement(Scenario.MEMORY, "idle", engine, 0, Metric.RSS, runs));
    }

    private void toolsCall(GatewayProcess gateway, String direct, String engine) {
        int highest = plan.concurrencies().stream().mapToInt(Integer::intValue).max().orElseThrow();
        warm(direct, "", FAST_TOOL, FAST_ARGUMENTS, highest);
        warm(gateway.baseUrl() + "/mcp", gateway.authorization(), "fast." + FAST_TOOL, FAST_ARGUMENTS, highest);
        List<Double> loadedMemory = new ArrayList<>();
        for (int concurrency : plan.concurrencies()) {
            Series directRuns = new Series();
            Series gatewayRuns = new Series();
            for (int i = 0; i < plan.repetitions(); i++) {
                directRuns.add(call(direct, "", FAST_TOOL, FAST_ARGUMENTS, concurrency));
                if (concurrency == highest) {
                    PeakMemory peak = new PeakMemory(gateway.process());
                    gatewayRuns.add(call(gateway.baseUrl() + "/mcp", gateway.authorization(), "fast." + FAST_TOOL,
                            FAST_ARGUMENTS, concurrency));
                    loadedMemory.add(peak.stop());
                } else {
                    gatewayRuns.add(call(gateway.baseUrl() + "/mcp", gateway.authorization(), "fast." + FAST_TOOL,
                            FAST_ARGUMENTS, concurrency));
                }
            }
            directRuns.addTo(measurements, Scenario.TOOLS_CALL, "direct", "", concurrency, Metric.THROUGHPUT);
            gatewayRuns.addTo(measurements, Scenario.TOOLS_CALL, "switchboard", engine, concurrency, Metric.THROUGHPUT);
        }
        measurements.add(new Measurement(Scenario.MEMORY, "under load (" + highest + " concurrent)", engine, highest,
                Metric.RSS, loadedMemory));
    }

    private void supergateway(GatewayProcess gateway, String engine) {
        JsonNode registered = register(gateway, Map.of("name", "everything", "slug", "everything",
                "command", Map.of("command", NodeUpstreams.everythingStdio().getFirst(),
                        "args", NodeUpstreams.everythingStdio().subList(1, 3))));
        if (!"completed".equals(registered.path("discovery").path("status").asString())) {
            throw new IllegalStateException("server-everything was not discovered: " + registered);
        }
        int port = LoopbackPorts.free();
        try (ChildProcess peer = ChildProcess.start(NodeUpstreams.supergatewayOverEverything(port), Map.of(),
                work.resolve("supergateway.log"))) {
            awaitListening(peer, port);
            int concurrency = plan.peerConcurrency();
            warm("http://127.0.0.1:" + port + "/mcp", "", ECHO_TOOL, ECHO_ARGUMENTS, concurrency);
            warm(gateway.baseUrl() + "/mcp", gateway.authorization(), "everything." + ECHO_TOOL, ECHO_ARGUMENTS,
                    concurrency);
            Series peerRuns = new Series();
            Series gatewayRuns = new Series();
            for (int i = 0; i < plan.repetitions(); i++) {
                peerRuns.add(call("http://127.0.0.1:" + port + "/mcp", "", ECHO_TOOL, ECHO_ARGUMENTS, concurrency));
                gatewayRuns.add(call(gateway.baseUrl() + "/mcp", gateway.authorization(), "everything." + ECHO_TOOL,
                        ECHO_ARGUMENTS, concurrency));
            }
            peerRuns.addTo(measurements, Scenario.SUPERGATEWAY, "supergateway", "", concurrency, Metric.THROUGHPUT);
            gatewayRuns.addTo(measurements, Scenario.SUPERGATEWAY, "switchboard", engine, concurrency,
                    Metric.THROUGHPUT);
        }
    }

    /** Drives a target for the plan's steady-state time, unmeasured, so its first measured run finds it warm. */
    private void warm(String url, String authorization, String tool, String arguments, int concurrency) {
        if (plan.steadyState().isZero()) {
            return;
        }
        for (int round = 0; round < STEADY_STATE_ROUNDS; round++) {
            LoadRun.run(plan.steadyStateRun(), McpLoad.class, "toolsCall", concurrency,
                    params(url, authorization, tool, arguments));
        }
    }

    private LoadRun.Figures call(String url, String authorization, String tool, String arguments, int concurrency) {
        return LoadRun.run(plan, McpLoad.class, "toolsCall", concurrency, params(url, authorization, tool, arguments));
    }

    private static Map<String, String> params(String url, String authorization, String tool, String arguments) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("url", url);
        params.put("authorization", authorization);
        params.put("tool", tool);
        params.put("arguments", arguments);
        return params;
    }

    private static JsonNode register(GatewayProcess gateway, Map<String, Object> upstream) {
        return gateway.send("POST", "/v1/gateways", upstream, 201);
    }

    static void awaitListening(ChildProcess process, int port) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!LoopbackPorts.listening(port)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("nothing listens on port " + port + "; the log:\n"
                        + process.logText());
            }
            GatewayProcess.sleep(50);
        }
    }

    /** The runs of one load measurement, kept per figure. */
    static final class Series {
        private final List<Double> throughput = new ArrayList<>();
        private final List<Double> p50 = new ArrayList<>();
        private final List<Double> p99 = new ArrayList<>();

        void add(LoadRun.Figures figures) {
            throughput.add(figures.throughput());
            p50.add(figures.p50());
            p99.add(figures.p99());
        }

        void addTo(List<Measurement> into, Scenario scenario, String subject, String engine, int concurrency,
                   Metric rate) {
            into.add(new Measurement(scenario, subject, engine, concurrency, rate, throughput));
            into.add(new Measurement(scenario, subject, engine, concurrency, Metric.P50, p50));
            into.add(new Measurement(scenario, subject, engine, concurrency, Metric.P99, p99));
        }
    }

    /** Samples a process's resident memory every 100 ms until stopped; the peak is what a limit must allow. */
    static final class PeakMemory {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread sampler;
        private volatile double peak;

        PeakMemory(ChildProcess process) {
            Supplier<Double> sample = process::residentMegabytes;
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    peak = Math.max(peak, sample.get());
                    try {
                        Thread.sleep(100); // the sampling period: time between two readings
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        double stop() {
            running.set(false);
            sampler.interrupt();
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return peak;
        }
    }
}
