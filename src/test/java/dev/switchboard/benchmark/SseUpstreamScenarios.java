package dev.switchboard.benchmark;

import dev.switchboard.benchmark.CallScenarios.Series;
import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.NodeUpstreams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * tools/call of an upstream that answers every POST with an SSE stream, as the TypeScript SDK's servers do:
 * server-everything over Streamable HTTP, called directly, through an nginx reverse proxy (the cost of a minimal
 * extra hop) and through a Switchboard virtual server that fronts it, at each concurrency of the plan. The three
 * paths call the same tool under the same name and alternate within each repetition, so drift on the machine
 * touches them alike.
 *
 * <p>nginx comes from the system (benchmarks/run installs Debian's package where it is missing). Without it the nginx
 * path is skipped with a message, except under CI=true, where that is a failure: CI installs it.
 */
final class SseUpstreamScenarios {

    static final String DIRECT = "direct";
    static final String NGINX = "nginx";
    static final String SWITCHBOARD = "switchboard";
    private static final String TOOL = "echo";
    private static final String ARGUMENTS = "{\"message\":\"benchmark\"}";
    /**
     * Steady-state rounds of the gateway: the calling scenario's gateway needed six to stop speeding up, but this
     * path shares most of its code with that one, so half is spent here. The upstream and nginx get one round each.
     */
    static final int GATEWAY_STEADY_STATE_ROUNDS = CallScenarios.STEADY_STATE_ROUNDS / 2;

    private final Plan plan;
    private final Launch launch;
    private final Path work;
    private final Optional<Path> nginx;

    SseUpstreamScenarios(Plan plan, Launch launch, Path work, Optional<Path> nginx) {
        this.plan = plan;
        this.launch = launch;
        this.work = work;
        this.nginx = nginx;
    }

    /** The nginx binary, or empty with a message when it is missing; under CI=true a missing nginx is a failure. */
    static Optional<Path> findNginx() {
        Optional<Path> binary = NginxProxy.binary();
        if (binary.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("nginx is not installed, and CI=true: the nginx path of the SSE "
                        + "upstream benchmark cannot be measured (.ci/run and benchmarks/run install Debian's "
                        + "nginx-light)");
            }
            System.out.println("[benchmarks] nginx is not installed: the nginx path of the SSE upstream benchmark is "
                    + "SKIPPED (benchmarks/run installs it: apt-get install nginx-light)");
        }
        return binary;
    }

    /** Runs the scenario with a gateway of its own on {@code databaseUrl}; returns its figures. */
    List<Measurement> run(String databaseUrl, String engine, Map<String, String> versions) {
        List<Measurement> measurements = new ArrayList<>();
        int upstreamPort = LoopbackPorts.free();
        try (ChildProcess upstream = ChildProcess.start(NodeUpstreams.everythingStreamableHttp(),
                Map.of("PORT", Integer.toString(upstreamPort)), work.resolve("everything-http.log"));
             GatewayProcess gateway = GatewayProcess.start(launch, databaseUrl, GatewayProcess.newSecretKey(),
                     work.resolve("gateway-sse.log"));
             NginxProxy proxy = nginx.map(binary -> startNginx(binary, upstream, upstreamPort, versions))
                     .orElse(null)) {
            CallScenarios.awaitListening(upstream, upstreamPort);
            String direct = "http://127.0.0.1:" + upstreamPort + "/mcp";
            String through = gateway.baseUrl() + frontingServer(gateway, direct);
            Map<String, Target> targets = new LinkedHashMap<>();
            targets.put(DIRECT, new Target(direct, "", 1));
            if (proxy != null) {
                targets.put(NGINX, new Target(proxy.url("/mcp"), "", 1));
            }
            targets.put(SWITCHBOARD, new Target(through, gateway.authorization(), GATEWAY_STEADY_STATE_ROUNDS));
            int highest = plan.concurrencies().stream().mapToInt(Integer::intValue).max().orElseThrow();
            targets.values().forEach(target -> warm(target, highest));
            for (int concurrency : plan.concurrencies()) {
                Map<String, Series> runs = new LinkedHashMap<>();
                targets.keySet().forEach(subject -> runs.put(subject, new Series()));
                for (int i = 0; i < plan.repetitions(); i++) {
                    targets.forEach((subject, target) -> runs.get(subject).add(call(target, concurrency)));
                }
                runs.forEach((subject, series) -> series.addTo(measurements, Scenario.SSE_UPSTREAM, subject,
                        subject.equals(SWITCHBOARD) ? engine : "", concurrency, Metric.THROUGHPUT));
            }
        }
        return measurements;
    }

    private NginxProxy startNginx(Path binary, ChildProcess upstream, int upstreamPort, Map<String, String> versions) {
        versions.put("nginx", NginxProxy.version(binary));
        CallScenarios.awaitListening(upstream, upstreamPort);
        return NginxProxy.start(binary, upstreamPort, work.resolve("nginx"));
    }

    /**
     * Registers the upstream, creates a virtual server holding everything it offers and returns that server's MCP
     * path: there the tools keep the upstream's own names, so all three paths call the same "echo".
     */
    private static String frontingServer(GatewayProcess gateway, String upstreamUrl) {
        JsonNode registered = gateway.send("POST", "/v1/gateways", Map.of("name", "everything-http",
                "slug", "everything-http", "url", upstreamUrl, "transport", "streamable_http"), 201);
        if (!"completed".equals(registered.path("discovery").path("status").asString())) {
            throw new IllegalStateException("server-everything over HTTP was not discovered: " + registered);
        }
        String id = gateway.send("POST", "/v1/servers", Map.of("name", "everything-http"), 201).path("id")
                .asString();
        JsonNode added = gateway.send("POST", "/v1/servers/" + id + "/members", Map.of("gateway", "everything-http"),
                200);
        if (added.path("added").path("tools").isEmpty()) {
            throw new IllegalStateException("the virtual server took no tool of server-everything: " + added);
        }
        return "/servers/" + id + "/mcp";
    }

    private void warm(Target target, int concurrency) {
        if (plan.steadyState().isZero()) {
            return;
        }
        for (int round = 0; round < target.steadyStateRounds(); round++) {
            LoadRun.run(plan.steadyStateRun(), McpLoad.class, "toolsCall", concurrency, target.params());
        }
    }

    private LoadRun.Figures call(Target target, int concurrency) {
        return LoadRun.run(plan, McpLoad.class, "toolsCall", concurrency, target.params());
    }

    /** One path to the upstream: its MCP endpoint, the Authorization header it needs, its steady-state rounds. */
    private record Target(String url, String authorization, int steadyStateRounds) {
        Map<String, String> params() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("url", url);
            params.put("authorization", authorization);
            params.put("tool", TOOL);
            params.put("arguments", ARGUMENTS);
            return params;
        }
    }
}
