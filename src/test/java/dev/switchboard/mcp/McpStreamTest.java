package dev.switchboard.mcp;

import static dev.switchboard.mcp.McpFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.catalog.CatalogSettings;
import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.settings.SettingsBinding;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.SseReader;
import dev.switchboard.testing.SseReader.Event;
import dev.switchboard.testing.TestEngines;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server-to-client half of MCP, read as raw SSE: the GET stream and its replay, streamed answers with
 * progress, cancellation, and the legacy HTTP+SSE transport's own rules. Streams do not depend on the engine, so
 * these run on SQLite only.
 */
class McpStreamTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String JSON_AND_SSE = "application/json, text/event-stream";
    private static GatewayUnderTest gateway;
    private static Client admin;
    private static Client alice;
    private static HttpServer slow;
    private static final CountDownLatch SLOW_CALL_ARRIVED = new CountDownLatch(1);
    private static String server;

    @BeforeAll
    static void start() throws IOException {
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                Map.of("SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL", "PT0.1S"));
        admin = gateway.admin();
        alice = gateway.as("alice", "mcp:use");
        // An endpoint that answers only after a minute: the tool call that waits for it must be cancelled.
        slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/", exchange -> {
            SLOW_CALL_ARRIVED.countDown();
            try {
                Thread.sleep(60_000); // the slowness under test: this endpoint takes a minute to answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        slow.start();
        String sleepy = admin.post("/v1/tools", Map.of("name", "sleepy", "inputSchema", Map.of("type", "object"),
                "request", Map.of("method", "GET", "url", "http://127.0.0.1:" + slow.getAddress().getPort() + "/",
                        "timeoutMs", 120_000))).id();
        String failing = admin.post("/v1/tools", Map.of("name", "unreachable", "inputSchema", Map.of("type", "object"),
                "request", Map.of("method", "GET", "url", "http://127.0.0.1:9/"))).id();
        server = admin.post("/v1/servers", Map.of("name", "streams")).id();
        assertThat(admin.put("/v1/servers/" + server + "/tools", Map.of("ids", List.of(sleepy, failing)), null)
                .status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        slow.stop(0);
        gateway.close();
    }

    private static String mcpPath() {
        return "/servers/" + server + "/mcp";
    }


    private static Map<String, String> headers(Client client, String session, String accept) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", client.authorization());
        headers.put("Accept", accept);
        if (session != null) {
            headers.put("Mcp-Session-Id", session);
        }
        return headers;
    }

    private static String initialize(Client client) {
        return initialize(client, mcpPath());
    }

    private static String initialize(Client client, String path) {
        Reply reply = client.send("POST", path, request(1, "initialize", Map.of("protocolVersion", "2025-11-25",
                "capabilities", Map.of(), "clientInfo", Map.of("name", "raw", "version", "1"))),
                Map.of("Accept", JSON_AND_SSE));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().at("/result/capabilities/prompts/listChanged").asBoolean()).isTrue();
        return reply.header("Mcp-Session-Id");
    }

    private static Reply post(Client client, String session, Object body) {
        Map<String, String> h = headers(client, session, JSON_AND_SSE);
        h.remove("Authorization");
        return client.send("POST", mcpPath(), body, h);
    }

    private static SseReader get(Client client, String session, Map<String, String> extra) {
        return get(client, mcpPath(), session, extra);
    }

    private static SseReader get(Client client, String path, String session, Map<String, String> extra) {
        Map<String, String> h = headers(client, session, "text/event-stream");
        h.putAll(extra);
        return SseReader.open(gateway.baseUrl() + path, null, h);
    }

    /** A GET stream on a session of its own: what it hears tells that the change poll has seen a change. */
    private static SseReader witness(Client client, String path) {
        return get(client, path, initialize(client, path), Map.of());
    }

    /** Waits until {@code witness} hears of a list change: the poll that told it told every watcher in that pass. */
    private static void heard(SseReader witness) throws InterruptedException {
        Event change = witness.next(10);
        assertThat(change).as("the change poll announced the change").isNotNull();
        assertThat(change.json().get("method").asString()).isEqualTo("notifications/prompts/list_changed");
    }

    private static String addPrompt(String name) {
        return admin.post("/v1/prompts", Map.of("name", name, "template", "Say hello.")).id();
    }

    private static void join(String promptId) {
        assertThat(admin.send("POST", "/v1/servers/" + server + "/prompts/" + promptId, null, Map.of()).status())
                .isEqualTo(200);
    }

    @Test
    void theGetStreamCarriesChangesAndReplaysWhatAReconnectingClientMissed() throws Exception {
        String session = initialize(alice);
        // A change before the stream opens waits for it.
        join(addPrompt("early"));
        Event first;
        try (SseReader stream = get(alice, session, Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            first = stream.next(10);
            assertThat(first).isNotNull();
            assertThat(first.json().get("method").asString()).isEqualTo("notifications/prompts/list_changed");
            assertThat(first.id()).isNotBlank();
        }
        // Changes while no stream is open are kept, and a reconnect with Last-Event-ID gets them first.
        // A second session on the server hears of it too: once it has, alice's session holds the change for replay.
        try (SseReader sameServer = witness(alice, mcpPath())) {
            join(addPrompt("while-away"));
            heard(sameServer);
        }
        try (SseReader again = get(alice, session, Map.of("Last-Event-ID", first.id()))) {
            Event missed = again.next(10);
            assertThat(missed).isNotNull();
            assertThat(missed.json().get("method").asString()).isEqualTo("notifications/prompts/list_changed");
            // Ids name the replica that numbered them, then its sequence.
            assertThat(missed.id()).matches("[0-9a-f]{16}-[0-9]+").startsWith(first.id().split("-")[0] + "-");
            assertThat(Long.parseLong(missed.id().split("-")[1])).isGreaterThan(Long.parseLong(first.id().split("-")[1]));
            // A change to something the server does not serve is not announced; one to a member is.
            // Each addition is seen by a poll of its own before the join (a whole-catalog stream hears of each), so
            // an announcement of either would come before the join's.
            String member;
            try (SseReader wholeCatalog = witness(admin, "/mcp")) {
                addPrompt("not-a-member");
                heard(wholeCatalog);
                member = addPrompt("member");
                heard(wholeCatalog);
            }
            join(member);
            Event next = again.next(10);
            assertThat(next.json().get("method").asString()).isEqualTo("notifications/prompts/list_changed");
            assertThat(again.next(1)).isNull();
        }
    }

    @Test
    void theGetStreamChecksItsHeadersAndItsSession() throws Exception {
        String session = initialize(alice);
        assertThat(alice.send("GET", mcpPath(), null, Map.of("Accept", "application/json", "Mcp-Session-Id",
                session)).status()).isEqualTo(406);
        assertThat(alice.send("GET", mcpPath(), null, Map.of("Accept", "text/event-stream")).status())
                .isEqualTo(400);
        Client bob = gateway.as("bob", "mcp:use");
        assertThat(bob.send("GET", mcpPath(), null, Map.of("Accept", "text/event-stream", "Mcp-Session-Id",
                session)).status()).isEqualTo(404);
        assertThat(gateway.anonymous().send("GET", mcpPath(), null, Map.of("Accept", "text/event-stream",
                "Mcp-Session-Id", session)).status()).isEqualTo(401);
        // Ending the session ends its stream.
        try (SseReader stream = get(alice, session, Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(alice.send("DELETE", mcpPath(), null, Map.of("Mcp-Session-Id", session)).status())
                    .isEqualTo(204);
            assertThat(stream.rest(10)).isEmpty();
        }
    }

    @Test
    void aToolCallThatAsksForProgressIsAnsweredWithAStream() throws Exception {
        String session = initialize(alice);
        String body = JSON.writeValueAsString(request(5, "tools/call", Map.of("name", "unreachable",
                "arguments", Map.of(), "_meta", Map.of("progressToken", 42))));
        try (SseReader answer = SseReader.open(gateway.baseUrl() + mcpPath(), body,
                headers(alice, session, JSON_AND_SSE))) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).startsWith("text/event-stream");
            List<JsonNode> messages = answer.rest(20).stream().map(Event::json).toList();
            assertThat(messages).hasSize(3);
            assertThat(messages.get(0).get("method").asString()).isEqualTo("notifications/progress");
            assertThat(messages.get(0).at("/params/progressToken").asInt()).isEqualTo(42);
            assertThat(messages.get(0).at("/params/progress").asDouble()).isEqualTo(0.0);
            assertThat(messages.get(1).at("/params/progress").asDouble()).isEqualTo(1.0);
            assertThat(messages.get(2).get("id").asInt()).isEqualTo(5);
            assertThat(messages.get(2).at("/result/isError").asBoolean()).isTrue();
        }
        // Without a progress token, or from a client that takes only JSON, the answer is plain JSON.
        Reply plain = post(alice, session, request(6, "tools/call", Map.of("name", "unreachable")));
        assertThat(plain.contentType()).startsWith("application/json");
        assertThat(alice.send("POST", mcpPath(), request(7, "tools/call", Map.of("name", "unreachable",
                "_meta", Map.of("progressToken", "t"))), Map.of("Accept", "application/json", "Mcp-Session-Id",
                session)).contentType()).startsWith("application/json");
    }

    @Test
    void aCancelledCallStopsAndGetsNoResponse() throws Exception {
        String session = initialize(alice);
        CompletableFuture<Reply> call = CompletableFuture.supplyAsync(() -> post(alice, session,
                request("slow-1", "tools/call", Map.of("name", "sleepy"))));
        assertThat(SLOW_CALL_ARRIVED.await(20, TimeUnit.SECONDS)).isTrue();
        // Another identity cannot cancel it: to bob the session does not exist.
        assertThat(post(gateway.as("bob", "mcp:use"), session, Map.of("jsonrpc", "2.0",
                "method", "notifications/cancelled", "params", Map.of("requestId", "slow-1"))).status())
                .isEqualTo(404);
        assertThat(call).isNotDone();
        assertThat(post(alice, session, Map.of("jsonrpc", "2.0", "method", "notifications/cancelled",
                "params", Map.of("requestId", "slow-1", "reason", "changed my mind"))).status()).isEqualTo(202);
        // The endpoint would take a minute; the cancelled call ends well before, with no JSON-RPC response.
        Reply cancelled = call.get(30, TimeUnit.SECONDS);
        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(cancelled.text()).isEmpty();
    }

    @Test
    void subscribingNeedsAResourceTheServerServes() {
        String session = initialize(alice);
        Reply reply = post(alice, session, request(1, "resources/subscribe", Map.of("uri", "docs://absent")));
        assertThat(reply.json().at("/error/code").asInt()).isEqualTo(-32002);
        assertThat(post(alice, session, request(2, "resources/subscribe", Map.of())).json().at("/error/code")
                .asInt()).isEqualTo(-32602);
        assertThat(post(alice, session, request(3, "resources/unsubscribe", Map.of("uri", "docs://absent")))
                .json().get("result").isObject()).isTrue();
    }

    @Test
    void theLegacyTransportAnnouncesItsEndpointAndAnswersOnTheStream() throws Exception {
        String sse = gateway.baseUrl() + "/servers/" + server + "/sse";
        String endpoint;
        try (SseReader stream = SseReader.open(sse, null, Map.of("Authorization", alice.authorization(),
                "Accept", "text/event-stream"))) {
            assertThat(stream.status()).isEqualTo(200);
            Event announced = stream.next(10);
            assertThat(announced.name()).isEqualTo("endpoint");
            endpoint = announced.data();
            assertThat(endpoint).startsWith("/servers/" + server + "/messages?sessionId=");

            Reply accepted = alice.send("POST", endpoint, request(1, "initialize", Map.of("protocolVersion",
                    "2024-11-05", "capabilities", Map.of(), "clientInfo", Map.of("name", "old", "version", "1"))),
                    Map.of());
            assertThat(accepted.status()).isEqualTo(202);
            Event initialized = stream.next(10);
            assertThat(initialized.name()).isEqualTo("message");
            assertThat(initialized.json().at("/result/protocolVersion").asString()).isEqualTo("2024-11-05");

            assertThat(alice.send("POST", endpoint, request(2, "tools/list", Map.of()), Map.of()).status())
                    .isEqualTo(202);
            assertThat(stream.next(10).json().at("/result/tools").size()).isEqualTo(2);
            assertThat(alice.send("POST", endpoint, request(3, "no/such", Map.of()), Map.of()).status())
                    .isEqualTo(202);
            assertThat(stream.next(10).json().at("/error/code").asInt()).isEqualTo(-32601);

            // What cannot be read at all is refused on the POST itself.
            assertThat(alice.send("POST", endpoint, "{oops", Map.of()).json().at("/error/code").asInt())
                    .isEqualTo(-32700);
            assertThat(alice.send("POST", endpoint, Map.of("jsonrpc", "2.0"), Map.of()).status()).isEqualTo(400);
            // The session is alice's alone, and only on this server's endpoint.
            assertThat(gateway.as("bob", "mcp:use").send("POST", endpoint, request(4, "tools/list", Map.of()),
                    Map.of()).status()).isEqualTo(404);
            assertThat(alice.send("POST", endpoint.replace("/servers/" + server, ""),
                    request(5, "tools/list", Map.of()), Map.of()).status()).isEqualTo(404);
            assertThat(alice.send("POST", "/servers/" + server + "/messages", request(6, "ping", Map.of()),
                    Map.of()).status()).isEqualTo(404);
        }
        // The session lives as long as its stream: once the client is gone, so is the session.
        // The gateway notices when it next writes: a keep-alive comment at the latest.
        String gone = endpoint;
        int status = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> alice.send("POST", gone, request(7, "ping", Map.of()), Map.of()).status(), s -> s == 404);
        assertThat(status).isEqualTo(404);
    }

    @Test
    void thePollIntervalIsCheckedAtStartup() {
        assertThat(interval("PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(interval("250ms")).isEqualTo(Duration.ofMillis(250));
        for (String bad : List.of("0s", "-PT1S", "PT2M", "soon", "")) {
            assertThatThrownBy(() -> interval(bad)).as(bad)
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL");
        }
    }

    /** The interval as the gateway binds it from SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL. */
    private static Duration interval(String text) {
        return SettingsBinding.bind(CatalogSettings.class, Map.of("SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL", text)::get)
                .changePollInterval();
    }
}
