package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.UpstreamHealthRepository.Outcome;
import dev.switchboard.federation.MisbehavingUpstream.Mode;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.UpstreamServers;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Misbehaving upstreams, served by small servers written here: one that accepts TCP and never answers, one that
 * answers initialize and never notifications/initialized, one that sends headers and no body, one that streams
 * keep-alives forever, endless bodies and events, one whose every step is slow but within the request timeout, and a
 * stdio child that never reads its stdin. For each,
 * registration, refresh, a health check and a call fail within connect timeout + request timeout (plus a margin
 * for the machine) with a clear reason; a well-behaved upstream keeps answering meanwhile; and every thread the
 * gateway started for the failure ends.
 */
class MisbehavingUpstreamsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CONNECT = Duration.ofSeconds(1);
    private static final Duration REQUEST = Duration.ofSeconds(2);
    /** What every failure must stay within: the deadline the settings promise, and a margin for a busy machine. */
    private static final Duration DEADLINE = CONNECT.plus(REQUEST).plus(Duration.ofMillis(1500));
    private static final long CAP = 64 * 1024;

    private static UpstreamServers.Http good;
    private static GatewayUnderTest gateway;
    private static String goodTool;

    @BeforeAll
    static void start() {
        good = UpstreamServers.streamable(null);
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of(
                "SWITCHBOARD_UPSTREAM_CONNECT_TIMEOUT", "PT1S",
                "SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT", "PT2S",
                "SWITCHBOARD_UPSTREAM_HEALTH_TIMEOUT", "PT3S",
                // Checks run when the test says; failures never hide an upstream, so calls really reach it.
                "SWITCHBOARD_UPSTREAM_HEALTH_INTERVAL", "PT24H",
                "SWITCHBOARD_UPSTREAM_UNHEALTHY_AFTER", "1000",
                "SWITCHBOARD_UPSTREAM_MAX_MESSAGE_BYTES", String.valueOf(CAP)));
        String slug = "good" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode registered = gateway.admin().post("/v1/gateways", Map.of("name", slug, "url", good.url())).json();
        assertThat(registered.at("/discovery/status").asString()).as(registered.toString()).isEqualTo("completed");
        goodTool = toolNames().stream().filter(n -> n.startsWith(slug) && n.endsWith("text")).findFirst()
                .orElseThrow();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        good.close();
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"ANSWER_THEN_KEEP_ALIVES", "ANSWER_THEN_END_WHEN_TOLD", "SLOW_PAGES"},
            mode = EnumSource.Mode.EXCLUDE)
    void anHttpUpstreamThatMisbehavesFailsEveryWaitInTime(Mode mode) throws Exception {
        String expected = switch (mode) {
            case ENDLESS_BODY -> "an answer larger than the 64 KiB cap (SWITCHBOARD_UPSTREAM_MAX_MESSAGE_BYTES)";
            case ENDLESS_EVENT -> "larger than the 64 KiB cap (SWITCHBOARD_UPSTREAM_MAX_MESSAGE_BYTES)";
            case INITIALIZE_ONLY -> "did not answer notifications/initialized: timed out after 2 s";
            // One deadline for the whole opening: the last step gets what is left of it.
            case SLOW_STEPS -> "timed out after";
            default -> "did not answer server/discover: timed out after 2 s";
        };
        try (MisbehavingUpstream upstream = new MisbehavingUpstream(mode)) {
            exercise(Map.of("name", "bad-" + mode.name().toLowerCase().replace('_', '-') + "-"
                    + UUID.randomUUID().toString().substring(0, 8), "url", upstream.url()), expected, expected,
                    Map.of());
        }
    }

    @Test
    void anAnswerOnAStreamThatGoesOnIsReturnedAtOnceAndTheStreamClosed() throws Exception {
        try (MisbehavingUpstream upstream = new MisbehavingUpstream(Mode.ANSWER_THEN_KEEP_ALIVES)) {
            String name = "streaming-" + UUID.randomUUID().toString().substring(0, 8);
            Timed<JsonNode> registered = timed(() -> gateway.admin().post("/v1/gateways", Map.of("name", name,
                    "url", upstream.url())).json());
            assertThat(registered.value().at("/discovery/status").asString()).as(registered.value().toString())
                    .isEqualTo("completed");
            assertThat(registered.took()).isLessThan(Duration.ofSeconds(2));
            String tool = toolNames().stream().filter(n -> n.contains(name.substring(10)) && n.endsWith("echo"))
                    .findFirst().orElseThrow();
            Timed<JsonNode> called = timed(() -> call(tool, Map.of()));
            assertThat(called.value().at("/result/content/0/text").asString()).as(called.value().toString())
                    .isEqualTo("streamed");
            assertThat(called.took()).as("not the request timeout: the answer, as it arrives")
                    .isLessThan(Duration.ofSeconds(1));
            // Each stream is closed by the gateway once its answer is in: the server's writes start failing.
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> upstream.openStreams() == 0);
            UUID id = UUID.fromString(registered.value().get("id").asString());
            assertThat(gateway.admin().delete("/v1/gateways/" + id, "*").status()).isEqualTo(204);
        }
    }

    /**
     * SDK servers answer each POST on an SSE stream that they end just after the answer. The call returns while the
     * stream is still open (here, until the test ends it); the gateway then reads the stream to its end, so the
     * next call goes over the same HTTP connection instead of paying for a new one each time.
     */
    @Test
    void anAnswerReturnsBeforeItsStreamEndsAndTheConnectionCarriesTheNextCall() throws Exception {
        try (MisbehavingUpstream upstream = new MisbehavingUpstream(Mode.ANSWER_THEN_END_WHEN_TOLD)) {
            String name = "sdk-like-" + UUID.randomUUID().toString().substring(0, 8);
            JsonNode registered = gateway.admin().post("/v1/gateways", Map.of("name", name, "url", upstream.url()))
                    .json();
            assertThat(registered.at("/discovery/status").asString()).as(registered.toString())
                    .isEqualTo("completed");
            String tool = toolNames().stream().filter(n -> n.contains(name.substring(9)) && n.endsWith("echo"))
                    .findFirst().orElseThrow();
            UUID id = UUID.fromString(registered.get("id").asString());
            try {
                int calls = 8;
                int before = upstream.connections();
                for (int i = 0; i < calls; i++) {
                    // The upstream has not ended this call's stream: the answer cannot have waited for its end.
                    JsonNode called = call(tool, Map.of());
                    assertThat(called.at("/result/content/0/text").asString()).as(called.toString())
                            .isEqualTo("streamed");
                    upstream.endOneStream();
                }
                // Closing each stream at its answer costs a connection per call. Read to its end in the background,
                // a stream frees its connection for most next calls; one that starts before the reader is done
                // (on a loaded machine) opens another.
                assertThat(upstream.connections() - before).as("new connections for " + calls + " calls")
                        .isLessThanOrEqualTo(calls / 2);
            } finally {
                assertThat(gateway.admin().delete("/v1/gateways/" + id, "*").status()).isEqualTo(204);
            }
        }
    }

    @Test
    void aDiscoveryWhosePagesNeverEndFailsWithinTheDeadlineOfTheWhole() throws Exception {
        try (MisbehavingUpstream upstream = new MisbehavingUpstream(Mode.SLOW_PAGES)) {
            String name = "paging-" + UUID.randomUUID().toString().substring(0, 8);
            String expected = "discovery did not finish: timed out after 3 s";
            Timed<JsonNode> registered = timed(() -> gateway.admin().post("/v1/gateways", Map.of("name", name,
                    "url", upstream.url())).json());
            assertThat(registered.took()).isLessThan(DEADLINE);
            assertThat(registered.value().at("/discovery/detail").asString()).as(registered.value().toString())
                    .contains(expected);
            UUID id = UUID.fromString(registered.value().get("id").asString());
            Timed<GatewayUnderTest.Reply> refreshed = timed(() -> gateway.admin().post("/v1/gateways/" + id
                    + "/refresh", null));
            assertThat(refreshed.took()).isLessThan(DEADLINE);
            assertThat(refreshed.value().json().get("detail").asString()).contains(expected);
            assertThat(gateway.admin().delete("/v1/gateways/" + id, "*").status()).isEqualTo(204);
        }
    }

    @Test
    void aStdioChildThatNeverReadsItsInputFailsEveryWaitInTime() throws Exception {
        // Answers initialize with the id it was sent, then never reads stdin again (the sleep keeps it open).
        String script = "read -r line; id=$(printf '%s' \"$line\" | sed 's/.*\"id\":\\([0-9]*\\).*/\\1/');"
                + " printf '{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"deaf\",\"version\":\"1\"}}}\\n' \"$id\";"
                + " exec sleep 1000";
        Map<String, Object> registration = Map.of("name", "deaf-" + UUID.randomUUID().toString().substring(0, 8),
                "transport", "stdio", "command", Map.of("command", "sh", "args", List.of("-c", script)));
        // More than the pipe holds (64 KiB on Linux): the write itself blocks.
        exercise(registration, "did not answer tools/list: timed out after 2 s",
                "the process does not read its input: timed out after 2 s writing to it",
                Map.of("blob", "x".repeat(256 * 1024)));
    }

    /**
     * Registers the upstream (while the good one is called), refreshes it, checks it and calls a tool on it: each
     * fails within the deadline, saying {@code expected} ({@code callExpected} for the call); then deletes it, and
     * the gateway's upstream threads come back to what they were.
     */
    private static void exercise(Map<String, Object> registration, String expected, String callExpected,
                                 Map<String, Object> arguments) throws Exception {
        int baseline = upstreamThreads().size();
        GatewayUnderTest.Client admin = gateway.admin();

        CompletableFuture<Timed<JsonNode>> registering = CompletableFuture.supplyAsync(
                () -> timed(() -> admin.post("/v1/gateways", registration).json()),
                runnable -> Thread.ofVirtual().start(runnable));
        // Meanwhile, the well-behaved upstream answers as ever.
        Timed<JsonNode> meanwhile = timed(() -> call(goodTool, Map.of()));
        assertThat(meanwhile.value().at("/result/isError").asBoolean()).as(meanwhile.value().toString()).isFalse();
        assertThat(meanwhile.took()).isLessThan(Duration.ofSeconds(2));
        Timed<JsonNode> registered = registering.get();
        assertThat(registered.took()).isLessThan(DEADLINE);
        assertThat(registered.value().at("/discovery/status").asString()).isEqualTo("failed");
        assertThat(registered.value().at("/discovery/detail").asString()).satisfiesAnyOf(
                detail -> assertThat(detail).contains(expected),
                // The first health check runs beside the discovery; failing, it closes the connection under it.
                detail -> assertThat(detail).contains("The connection to upstream " + registration.get("name")
                        + " was closed"));
        UUID id = UUID.fromString(registered.value().get("id").asString());
        // The first scheduled health check (the discovery's failure counted one) is left to end: from here on,
        // only this test speaks to the upstream.
        UpstreamHealthRepository states = gateway.bean(UpstreamHealthRepository.class);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                states.find(id).map(h -> h.consecutiveFailures() >= 2).orElse(false));

        Timed<GatewayUnderTest.Reply> refreshed = timed(() -> admin.post("/v1/gateways/" + id + "/refresh", null));
        assertThat(refreshed.took()).isLessThan(DEADLINE);
        assertThat(refreshed.value().status()).isEqualTo(502);
        assertThat(refreshed.value().json().get("detail").asString()).contains(expected);
        assertThat(gateway.bean(UpstreamPool.class).lockCount()).isLessThanOrEqualTo(2);

        Timed<Outcome> checked = timed(() -> gateway.bean(UpstreamHealth.class).check(id).orElseThrow());
        assertThat(checked.took()).isLessThan(DEADLINE);
        assertThat(checked.value().reachable()).isFalse();
        assertThat(checked.value().health().lastError()).isNotBlank();

        String tool = registration.get("name") + "__echo";
        gateway.bean(ToolRepository.class).create(new Tool(null, id, tool, "echo", "echo", IntegrationType.MCP,
                "never answered", "{\"type\":\"object\"}", null, null, null, AuthType.NONE, null, true, Set.of(),
                null, null, null, 0));
        // As if it had answered before: calls to an upstream never reached are refused without trying it.
        states.recordSuccess(id, Instant.now());
        Timed<JsonNode> called = timed(() -> call(tool, arguments));
        assertThat(called.took()).isLessThan(DEADLINE);
        assertThat(called.value().at("/result/isError").asBoolean()).as(called.value().toString()).isTrue();
        assertThat(called.value().at("/result/content/0/text").asString()).contains(callExpected);

        assertThat(call(goodTool, Map.of()).at("/result/isError").asBoolean()).isFalse();
        assertThat(admin.delete("/v1/gateways/" + id, "*").status()).isEqualTo(204);
        assertThat(gateway.bean(UpstreamPool.class).lockCount()).as("the deleted upstream's lock is gone")
                .isLessThanOrEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(upstreamThreads()).as("threads left after the failures")
                        .hasSizeLessThanOrEqualTo(baseline));
    }

    private record Timed<T>(T value, Duration took) {
    }

    private static <T> Timed<T> timed(Supplier<T> work) {
        long start = System.nanoTime();
        T value = work.get();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The names of the live threads the gateway runs for upstreams (all named upstream-*), virtual ones included:
     * a JSON thread dump lists them, which Thread.getAllStackTraces and ThreadMXBean do not.
     */
    static List<String> upstreamThreads() throws IOException {
        Path dump = Files.createTempDirectory("threads").resolve("dump.json");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpThreads(dump.toString(),
                    HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            return JSON.readTree(dump.toFile()).at("/threadDump/threadContainers").valueStream()
                    .flatMap(container -> container.path("threads").valueStream())
                    .map(thread -> thread.path("name").asString(""))
                    .filter(name -> name.startsWith("upstream-"))
                    .toList();
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(dump.getParent());
        }
    }

    private static List<String> toolNames() {
        return send("tools/list", null, Map.of()).at("/result/tools").valueStream()
                .map(t -> t.get("name").asString()).toList();
    }

    private static JsonNode call(String tool, Map<String, Object> arguments) {
        return send("tools/call", tool, Map.of("name", tool, "arguments", arguments));
    }

    /** A 2026-07-28 request to the gateway's /mcp, as a client with the mcp:use scope. */
    private static JsonNode send(String method, String name, Map<String, Object> params) {
        GatewayUnderTest.Reply reply = gateway.as("alice", "mcp:use").send("POST", "/mcp",
                StatelessMcp.request(method, params, Map.of()), StatelessMcp.headers(method, name));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }
}
