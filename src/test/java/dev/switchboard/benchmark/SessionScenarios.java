package dev.switchboard.benchmark;

import dev.switchboard.benchmark.CallScenarios.Series;
import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.TestEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What keeping MCP sessions in the registry costs a steady {@code tools/call}: one gateway with its sessions in the
 * registry (the default, what lets any replica continue them) and one with {@code SWITCHBOARD_MCP_SESSION_STORE=memory},
 * each on a database of its own on the same engine, both calling the fast upstream. Their runs alternate, so drift
 * on the machine touches both alike. Each client opens its session at the start of a run (a registry write and a
 * count), and a run lasts longer than {@code McpSessions.RECHECK}, so the comparison of a replica's copy with the
 * registry that a steady session makes every 5 s is in the figures too.
 */
final class SessionScenarios {

    static final String REGISTRY = "sessions in the registry";
    static final String MEMORY = "sessions in memory";
    /** The subjects in the order they are measured and reported. */
    static final List<String> SUBJECTS = List.of(MEMORY, REGISTRY);

    private static final String TOOL = "fast.text";
    private static final String ARGUMENTS = "{\"name\":\"benchmark\"}";
    /** Each measured run of the full plan: past one recheck of every session (5 s after its first request). */
    private static final Duration FULL_RUN = Duration.ofSeconds(7);

    private final Plan plan;
    private final Launch launch;
    private final Path work;

    SessionScenarios(Plan plan, Launch launch, Path work) {
        this.plan = plan;
        this.launch = launch;
        this.work = work;
    }

    /** Measures both subjects on {@code engine}, at one client and at the plan's peer concurrency. */
    List<Measurement> run(TestEngine engine, String name) {
        Plan runs = plan.steadyState().isZero() ? plan : plan.measuring(FULL_RUN);
        int upstreamPort = LoopbackPorts.free();
        Map<String, Series> series = new LinkedHashMap<>();
        List<Integer> concurrencies = List.of(1, plan.peerConcurrency());
        try (ChildProcess upstream = ChildProcess.java(FastUpstream.class.getName(), List.of("-Xmx512m"),
                List.of(Integer.toString(upstreamPort)), Map.of(), work.resolve(name + "-sessions-upstream.log"));
             GatewayProcess shared = GatewayProcess.start(launch, engine.newDatabaseUrl(),
                     GatewayProcess.newSecretKey(), Map.of(), work.resolve(name + "-sessions-registry.log"));
             GatewayProcess memory = GatewayProcess.start(launch, engine.newDatabaseUrl(),
                     GatewayProcess.newSecretKey(), Map.of("SWITCHBOARD_MCP_SESSION_STORE", "memory"),
                     work.resolve(name + "-sessions-memory.log"))) {
            CallScenarios.awaitListening(upstream, upstreamPort);
            Map<String, GatewayProcess> gateways = Map.of(REGISTRY, shared, MEMORY, memory);
            for (GatewayProcess gateway : gateways.values()) {
                gateway.send("POST", "/v1/gateways", Map.of("name", "fast", "slug", "fast", "url",
                        "http://127.0.0.1:" + upstreamPort + "/mcp", "transport", "streamable_http"), 201);
            }
            if (!plan.steadyState().isZero()) {
                for (String subject : SUBJECTS) {
                    for (int round = 0; round < CallScenarios.STEADY_STATE_ROUNDS; round++) {
                        load(plan.steadyStateRun(), gateways.get(subject), plan.peerConcurrency());
                    }
                }
            }
            for (int concurrency : concurrencies) {
                for (int i = 0; i < plan.repetitions(); i++) {
                    for (String subject : SUBJECTS) {
                        series.computeIfAbsent(subject + concurrency, s -> new Series())
                                .add(load(runs, gateways.get(subject), concurrency));
                    }
                }
            }
        }
        List<Measurement> measurements = new ArrayList<>();
        for (int concurrency : concurrencies) {
            for (String subject : SUBJECTS) {
                series.get(subject + concurrency).addTo(measurements, Scenario.SESSIONS, subject, name, concurrency,
                        Metric.THROUGHPUT);
            }
        }
        return measurements;
    }

    private static LoadRun.Figures load(Plan plan, GatewayProcess gateway, int concurrency) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("url", gateway.baseUrl() + "/mcp");
        params.put("authorization", gateway.authorization());
        params.put("tool", TOOL);
        params.put("arguments", ARGUMENTS);
        return LoadRun.run(plan, McpLoad.class, "toolsCall", concurrency, params);
    }
}
