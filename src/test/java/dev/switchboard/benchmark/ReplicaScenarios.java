package dev.switchboard.benchmark;

import dev.switchboard.benchmark.GatewayProcess.SharedSecrets;
import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.TestEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delivery of a client's message for a call that runs on another replica: two gateways on one registry, each
 * client's session calling the fast upstream on replica A, and its answer to the call's sampling request, or its
 * cancellation of a slow call, sent either to A itself or to replica B, which passes it on to A. The figure is how
 * long the client's POST of that message takes: its 202 comes once the replica running the call has it, so the
 * difference between the two replicas is what passing it on costs. One client alone, then the plan's peer
 * concurrency of clients at once, for the figures under load. On the server engines only: a SQLite file serves one replica.
 */
final class ReplicaScenarios {

    static final String SAMPLING_HERE = "sampling, same replica";
    static final String SAMPLING_THERE = "sampling, other replica";
    static final String CANCEL_HERE = "cancel, same replica";
    static final String CANCEL_THERE = "cancel, other replica";
    /** The subjects in the order they are measured and reported: each pair alternates, so drift touches both. */
    static final List<String> SUBJECTS = List.of(SAMPLING_HERE, SAMPLING_THERE, CANCEL_HERE, CANCEL_THERE);

    private static final String PROTOCOL = "2025-11-25";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The longest any one step of a round may take before the run fails: a message that never arrives. */
    private static final Duration STEP = Duration.ofSeconds(20);
    /** How long the replicas may take to find each other in the registry. */
    private static final Duration ACQUAINTANCE = Duration.ofSeconds(60);

    /**
     * How long each cancelled call sleeps on the upstream, which does not stop a call it is told is cancelled: long
     * enough that cancellations reach a call still running, short enough that few pile up on the upstream (with
     * calls of 5 s, hundreds did, and the upstream's answers to other calls then stalled for seconds).
     */
    private static final int SLOW_SECONDS = 1;
    /**
     * The upstream's threads for tool calls (the SDK runs each on Reactor's bounded elastic scheduler, by default ten
     * per core): enough for every cancelled call still sleeping, or calls would queue behind them.
     */
    private static final int UPSTREAM_THREADS = 4000;

    /** What the upstream (the Java SDK) answers when the client's answer to its sampling request came too late. */
    private static final String UPSTREAM_TIMEOUT = "Did not observe any item or terminal signal within";
    /** Sampling rounds whose request the upstream held back until it gave up on the answer; reported at the end. */
    private static final AtomicInteger STALLS = new AtomicInteger();

    private final Plan plan;
    private final Launch launch;
    private final Path work;

    ReplicaScenarios(Plan plan, Launch launch, Path work) {
        this.plan = plan;
        this.launch = launch;
        this.work = work;
    }

    /** Measures every subject on {@code engine}, a server engine. */
    List<Measurement> run(TestEngine engine, String name) {
        String url = engine.newDatabaseUrl();
        SharedSecrets secrets = SharedSecrets.fresh();
        int upstreamPort = LoopbackPorts.free();
        List<Measurement> measurements = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
             ChildProcess upstream = ChildProcess.java(FastUpstream.class.getName(), List.of("-Xmx512m",
                     "-Dreactor.schedulers.defaultBoundedElasticSize=" + UPSTREAM_THREADS),
                     List.of(Integer.toString(upstreamPort)), Map.of(), work.resolve(name + "-replica-upstream.log"));
             GatewayProcess a = GatewayProcess.startReplica(launch, url, secrets, work.resolve(name + "-replica-a.log"));
             GatewayProcess b = GatewayProcess.startReplica(launch, url, secrets, work.resolve(name + "-replica-b.log"))) {
            CallScenarios.awaitListening(upstream, upstreamPort);
            a.send("POST", "/v1/gateways", Map.of("name", "fast", "slug", "fast", "url",
                    "http://127.0.0.1:" + upstreamPort + "/mcp", "transport", "streamable_http"), 201);
            new Client(http, a, b).awaitAcquainted();
            if (!plan.steadyState().isZero()) {
                for (String subject : SUBJECTS) {
                    rounds(http, a, b, subject, plan.peerConcurrency(), plan.steadyState().dividedBy(SUBJECTS.size()));
                }
            }
            for (int clients : List.of(1, plan.peerConcurrency())) {
                Map<String, List<Double>> p50 = new LinkedHashMap<>();
                Map<String, List<Double>> p99 = new LinkedHashMap<>();
                for (int i = 0; i < plan.repetitions(); i++) {
                    for (String subject : SUBJECTS) {
                        if (!plan.warmup().isZero()) {
                            rounds(http, a, b, subject, clients, plan.warmup());
                        }
                        List<Long> nanos = rounds(http, a, b, subject, clients, plan.measure());
                        p50.computeIfAbsent(subject, s -> new ArrayList<>()).add(percentile(nanos, 0.50));
                        p99.computeIfAbsent(subject, s -> new ArrayList<>()).add(percentile(nanos, 0.99));
                    }
                }
                for (String subject : SUBJECTS) {
                    measurements.add(new Measurement(Scenario.REPLICA_DELIVERY, subject, name, clients, Metric.P50,
                            p50.get(subject)));
                    measurements.add(new Measurement(Scenario.REPLICA_DELIVERY, subject, name, clients, Metric.P99,
                            p99.get(subject)));
                }
            }
            if (STALLS.get() > 0) {
                System.out.printf("[benchmarks] %s: %d sampling request(s) reached the client only as the upstream "
                        + "gave up waiting for the answer (its 10 s timeout)%n", name, STALLS.getAndSet(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a client of the replicas on " + name + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return measurements;
    }

    /**
     * {@code clients} clients, each with its own session on A, doing rounds of {@code subject} until {@code length}
     * has passed; the time of every timed POST, in nanoseconds.
     */
    private static List<Long> rounds(HttpClient http, GatewayProcess a, GatewayProcess b, String subject, int clients,
                                     Duration length) {
        Instant end = Instant.now().plus(length);
        List<Long> nanos = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<List<Long>>> runs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                runs.add(pool.submit(() -> {
                    Client client = new Client(http, a, b);
                    List<Long> own = new ArrayList<>();
                    do {
                        own.add(client.round(subject));
                    } while (Instant.now().isBefore(end));
                    client.close();
                    return own;
                }));
            }
            for (Future<List<Long>> run : runs) {
                nanos.addAll(run.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a round of '" + subject + "' failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return nanos;
    }

    /** The {@code share} percentile of {@code nanos}, in milliseconds (nearest rank). */
    static double percentile(List<Long> nanos, double share) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int rank = (int) Math.ceil(share * sorted.size());
        return sorted.get(Math.max(0, rank - 1)) / 1e6;
    }

    /** One MCP client with a session on replica A; it sends its messages for A's calls to A or to B. */
    private static final class Client {
        private final HttpClient http;
        private final GatewayProcess a;
        private final GatewayProcess b;
        private final String authorization;
        private final String session;
        private long next = 1;

        Client(HttpClient http, GatewayProcess a, GatewayProcess b) throws IOException, InterruptedException {
            this.http = http;
            this.a = a;
            this.b = b;
            this.authorization = a.authorization();
            HttpResponse<String> opened = http.send(post(a, null, Map.of("jsonrpc", "2.0", "id", 0, "method",
                    "initialize", "params", Map.of("protocolVersion", PROTOCOL, "capabilities",
                            Map.of("sampling", Map.of()), "clientInfo", Map.of("name", "replica-benchmark",
                                    "version", "1")))).build(), HttpResponse.BodyHandlers.ofString());
            session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow(() -> new IllegalStateException(
                    "initialize answered " + opened.statusCode() + " without a session: " + opened.body()));
            accepted(a, Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        }

        /**
         * Waits until B passes an answer on to A: each replica registers once it listens, so B may not know A for a
         * moment after both are ready. An answer B could not pass on leaves its call waiting; the next try is new.
         */
        void awaitAcquainted() throws InterruptedException {
            Instant deadline = Instant.now().plus(ACQUAINTANCE);
            while (true) {
                try {
                    sampling(b, Duration.ofSeconds(3));
                    return;
                } catch (IllegalStateException | IOException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("replica B did not pass answers on to replica A within "
                                + ACQUAINTANCE.toSeconds() + " s: " + e.getMessage(), e);
                    }
                }
            }
        }

        /** One round of {@code subject}; how long its timed POST took, in nanoseconds. */
        long round(String subject) throws IOException, InterruptedException {
            return switch (subject) {
                case SAMPLING_HERE -> sampling(a, STEP);
                case SAMPLING_THERE -> sampling(b, STEP);
                case CANCEL_HERE -> cancellation(a);
                case CANCEL_THERE -> cancellation(b);
                default -> throw new IllegalArgumentException(subject);
            };
        }

        /** Calls fast.sample on A and answers its sampling request through {@code via}. */
        private long sampling(GatewayProcess via, Duration patience) throws IOException, InterruptedException {
            CallStream call = call("fast.sample", Map.of(), Map.of());
            JsonNode asked = call.next(patience);
            if (!"sampling/createMessage".equals(asked.path("method").asString())) {
                throw new IllegalStateException("expected a sampling request, got " + asked);
            }
            long started = System.nanoTime();
            accepted(via, Map.of("jsonrpc", "2.0", "id", asked.get("id"), "result", Map.of("role", "assistant",
                    "model", "benchmark", "content", Map.of("type", "text", "text", "4"))));
            long took = System.nanoTime() - started;
            JsonNode answered = call.next(patience);
            if (answered.at("/error/message").asString("").contains(UPSTREAM_TIMEOUT)) {
                // Seen twice in full runs, right after bursts of cancellations: the upstream's sampling request
                // reached the client only as the upstream gave up on it. The answer's POST, the figure, was as fast
                // as any; the stall is counted and reported rather than taken for a failure.
                STALLS.incrementAndGet();
            } else if (!"sampled: 4".equals(answered.at("/result/content/0/text").asString())) {
                throw new IllegalStateException("expected the sampled result, got " + answered);
            }
            return took;
        }

        /** Calls fast.slow on A, and once it runs (its first progress) cancels it through {@code via}. */
        private long cancellation(GatewayProcess via) throws IOException, InterruptedException {
            String token = "progress-" + next;
            CallStream call = call("fast.slow", Map.of("seconds", SLOW_SECONDS), Map.of("progressToken", token));
            JsonNode progress = call.next(STEP);
            if (!"notifications/progress".equals(progress.path("method").asString())) {
                throw new IllegalStateException("expected the slow call's progress, got " + progress);
            }
            long started = System.nanoTime();
            accepted(via, Map.of("jsonrpc", "2.0", "method", "notifications/cancelled", "params",
                    Map.of("requestId", call.id(), "reason", "benchmark")));
            long took = System.nanoTime() - started;
            // A cancelled call gets no response: its stream ends without one (a call that ended as its cancellation
            // was on its way may still answer; the cancellation was delivered all the same).
            call.awaitEnd(STEP);
            return took;
        }

        /** POSTs a tools/call to A and reads its SSE answer as it comes. */
        private CallStream call(String tool, Map<String, Object> arguments, Map<String, Object> meta) {
            String id = "call-" + next++;
            Map<String, Object> params = meta.isEmpty() ? Map.of("name", tool, "arguments", arguments)
                    : Map.of("name", tool, "arguments", arguments, "_meta", meta);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            CompletableFuture<?> done = http.sendAsync(post(a, session, Map.of("jsonrpc", "2.0", "id", id,
                    "method", "tools/call", "params", params)).build(), HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(response -> response.body().forEach(lines::add));
            return new CallStream(id, lines, done);
        }

        /** POSTs a notification or response to {@code to}, which must accept it with 202. */
        private void accepted(GatewayProcess to, Map<String, Object> message) throws IOException,
                InterruptedException {
            HttpResponse<String> answer = http.send(post(to, session, message).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("answered " + answer.statusCode() + " to " + message + ": "
                        + answer.body());
            }
        }

        private HttpRequest.Builder post(GatewayProcess to, String sessionId, Map<String, Object> message) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(to.baseUrl() + "/mcp")).timeout(STEP)
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message)));
            if (sessionId != null) {
                request.header("Mcp-Session-Id", sessionId).header("MCP-Protocol-Version", PROTOCOL);
            }
            return request;
        }

        void close() throws IOException, InterruptedException {
            http.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/mcp")).timeout(STEP)
                    .header("Authorization", authorization).header("Mcp-Session-Id", session).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /** A call's SSE answer, line by line. */
    private record CallStream(String id, BlockingQueue<String> lines, CompletableFuture<?> done) {

        /** The next message of the stream, within {@code patience}. */
        JsonNode next(Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(50, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith("data:")) {
                    return JSON.readTree(line.substring(5).strip());
                }
                if (line == null && done.isDone()) {
                    throw new IllegalStateException("the call's stream ended early" + (done.isCompletedExceptionally()
                            ? ": " + done.exceptionNow() : ""));
                }
            }
            done.cancel(true);
            throw new IllegalStateException("no message on the call's stream within " + patience.toSeconds() + " s");
        }

        /** Waits for the stream to end. */
        void awaitEnd(Duration patience) throws InterruptedException {
            try {
                done.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                done.cancel(true);
                throw new IllegalStateException("the cancelled call's stream did not end: " + e, e);
            }
        }
    }
}
