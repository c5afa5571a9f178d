package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.persistence.Dialect;
import dev.switchboard.testing.AlternatingProxy;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayCluster;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.NodeUpstreams;
import dev.switchboard.testing.SseReader;
import dev.switchboard.testing.TestEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A session's GET stream resumes on another replica: a client that reconnects there with {@code Last-Event-ID} gets
 * what the first replica sent after that event, with the ids it had, and then what the new replica sends. Two
 * gateways on one registry (the server engines; a SQLite file serves one gateway).
 */
class StreamResumptionTest {

    private static final String VERSION = "2025-11-25";

    /**
     * Replica A sends three resources/updated (and resources/list_changed) on the session's stream; the client's
     * connection breaks after the first event, and A stops gracefully (a rolling update), closing the stream. The
     * client reconnects to B with the first event's id: B, which never held the session, sends every later event as
     * A numbered it, then announces a change of its own on the same stream.
     */
    @EngineTest
    void aStreamClosedByAStoppingReplicaResumesOnAnotherWithTheEventsItMissed(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 2)) {
            GatewayUnderTest a = cluster.replica(0);
            GatewayUnderTest b = cluster.replica(1);
            Reply notes = a.admin().post("/v1/resources", Map.of("uri", "docs://resumed", "name", "resumed",
                    "text", "version 0"));
            assertThat(notes.status()).as(notes.toString()).isEqualTo(201);
            String session = initialize(a);
            assertThat(send(a, session, "resources/subscribe", Map.of("uri", "docs://resumed")).status())
                    .isEqualTo(200);

            List<SseReader.Event> sentByA = new ArrayList<>();
            try (SseReader onA = listen(a, session, null)) {
                for (int version = 1; version <= 3; version++) {
                    change(a, notes.id(), "version " + version);
                    nextUpdate(onA, sentByA);
                }
            }
            cluster.stop(0);
            // Everything A sent after the first event, in order, as the client would have got it.
            List<SseReader.Event> afterFirst = sentByA.subList(1, sentByA.size());

            try (SseReader onB = listen(b, session, sentByA.getFirst().id())) {
                List<SseReader.Event> replayed = new ArrayList<>();
                for (int i = 0; i < afterFirst.size(); i++) {
                    replayed.add(onB.next(20));
                }
                assertThat(replayed).isEqualTo(afterFirst);
                change(b, notes.id(), "version 4");
                SseReader.Event fromB = nextUpdate(onB, new ArrayList<>());
                assertThat(fromB.json().path("params").path("uri").asString()).isEqualTo("docs://resumed");
                assertThat(fromB.id()).doesNotStartWith(afterFirst.getFirst().id().split("-")[0]);
            }
        }
    }

    /**
     * The official TypeScript SDK client, through a proxy that sends each request to the next replica, hears a
     * tools/list_changed on its GET stream; the replica holding the stream stops gracefully, and the SDK reconnects
     * the stream on its own, with the last event's id as Last-Event-ID, which the proxy sends to the other replica.
     * That replica's next announcement reaches the client on the resumed stream.
     */
    @EngineTest
    void theTypeScriptSdkClientResumesItsStreamOnAnotherReplicaByItself(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 2);
             AlternatingProxy proxy = AlternatingProxy.start(List.of(cluster.replica(0).baseUrl(),
                     cluster.replica(1).baseUrl()))) {
            CompletableFuture<JsonNode> client = CompletableFuture.supplyAsync(() -> NodeUpstreams.runSdkClient(
                    Map.of("url", proxy.baseUrl() + "/mcp", "headers", Map.of("Authorization",
                            cluster.replica(0).admin().authorization()), "protocolVersion", VERSION,
                            "awaitTool", "after_the_restart", "timeoutMs", 80_000)));
            await().atMost(Duration.ofSeconds(30)).until(() -> !proxy.streams().isEmpty());
            AlternatingProxy.Stream first = proxy.streams().getFirst();
            GatewayUnderTest survivor = cluster.replica(1 - first.backend());
            addTool(survivor, "before_the_restart");
            // Announced by the replica holding the stream, with an id of its own.
            await().atMost(Duration.ofSeconds(20)).until(() -> !first.eventIds().isEmpty());
            cluster.stop(first.backend());

            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.streams().size() > 1);
            AlternatingProxy.Stream resumed = proxy.streams().get(1);
            assertThat(resumed.backend()).isEqualTo(1 - first.backend());
            assertThat(resumed.lastEventId()).isEqualTo(first.eventIds().getLast());
            addTool(survivor, "after_the_restart");
            JsonNode seen = client.get(90, TimeUnit.SECONDS);
            assertThat(seen.path("toolsAfter").findValuesAsString("name")).contains("before_the_restart",
                    "after_the_restart");
            // It lists only when told of a change, and the last change came after the first stream had closed.
            assertThat(resumed.eventIds()).as("announced on the resumed stream").isNotEmpty();
        }
    }

    private static void addTool(GatewayUnderTest at, String name) {
        Reply tool = at.admin().post("/v1/tools", Map.of("name", name, "inputSchema", Map.of("type", "object"),
                "request", Map.of("method", "GET", "url", at.baseUrl() + "/health")));
        assertThat(tool.status()).as(tool.toString()).isEqualTo(201);
    }

    /**
     * The client reconnects to a replica while the one it left still runs, with an id that replica never sent: the
     * stream opens, with nothing replayed, and carries what comes next.
     */
    @EngineTest
    void anUnknownLastEventIdReplaysNothing(TestEngine engine) throws Exception {
        if (Dialect.of(engine.engine()).embedded()) {
            return;
        }
        try (GatewayCluster cluster = new GatewayCluster(engine.newDatabaseUrl(), 2)) {
            GatewayUnderTest a = cluster.replica(0);
            GatewayUnderTest b = cluster.replica(1);
            Reply notes = a.admin().post("/v1/resources", Map.of("uri", "docs://unknown-id", "name", "unknown-id",
                    "text", "version 0"));
            String session = initialize(a);
            assertThat(send(a, session, "resources/subscribe", Map.of("uri", "docs://unknown-id")).status())
                    .isEqualTo(200);
            for (String lastEventId : List.of("0123456789abcdef-7", "not an id", "12")) {
                try (SseReader onB = listen(b, session, lastEventId)) {
                    change(b, notes.id(), "after " + lastEventId);
                    assertThat(nextUpdate(onB, new ArrayList<>()).json().path("params").path("uri").asString())
                            .isEqualTo("docs://unknown-id");
                }
            }
        }
    }

    private static void change(GatewayUnderTest at, String resourceId, String text) {
        Reply changed = at.admin().patchCurrent("/v1/resources/" + resourceId, Map.of("text", text));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    }

    private static Reply send(GatewayUnderTest to, String session, String method, Map<String, Object> params) {
        return to.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", method, "method", method, "params",
                params), Map.of("Accept", "application/json, text/event-stream", "Mcp-Session-Id", session,
                "MCP-Protocol-Version", VERSION));
    }

    private static String initialize(GatewayUnderTest at) {
        Reply reply = at.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize",
                "params", Map.of("protocolVersion", VERSION, "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "resumption", "version", "1"))),
                Map.of("Accept", "application/json, text/event-stream"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        String session = reply.header("Mcp-Session-Id");
        assertThat(at.admin().send("POST", "/mcp", Map.of("jsonrpc", "2.0", "method", "notifications/initialized"),
                Map.of("Accept", "application/json, text/event-stream", "Mcp-Session-Id", session,
                        "MCP-Protocol-Version", VERSION)).status()).isEqualTo(202);
        return session;
    }

    /** The session's GET stream on {@code at}, once the replica has answered 200: it is then the session's. */
    private static SseReader listen(GatewayUnderTest at, String session, String lastEventId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", at.admin().authorization());
        headers.put("Accept", "text/event-stream");
        headers.put("Mcp-Session-Id", session);
        headers.put("MCP-Protocol-Version", VERSION);
        if (lastEventId != null) {
            headers.put("Last-Event-ID", lastEventId);
        }
        SseReader stream = SseReader.open(at.baseUrl() + "/mcp", null, headers);
        assertThat(stream.status()).isEqualTo(200);
        return stream;
    }

    /** The next resources/updated, within 20 s of each event before it; every event read is added to {@code seen}. */
    private static SseReader.Event nextUpdate(SseReader stream, List<SseReader.Event> seen)
            throws InterruptedException {
        while (true) {
            SseReader.Event event = stream.next(20);
            assertThat(event).as("an event within 20 s").isNotNull();
            seen.add(event);
            if (event.json().path("method").asString().equals("notifications/resources/updated")) {
                return event;
            }
        }
    }
}
