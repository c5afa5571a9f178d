package dev.switchboard.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.Credentials;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.RestRequest;
import dev.switchboard.catalog.Tool;
import dev.switchboard.security.AesGcmSecretCipher;
import dev.switchboard.security.EncryptionKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** REST tools called against a real HTTP server on loopback: what is sent, and what the result says. */
class RestToolCallTest {

    /** One request as the endpoint saw it. */
    record Seen(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String body) {
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final Credentials credentials = new Credentials(new AesGcmSecretCipher(EncryptionKey.generate()));
    private final RestToolCall calls = new RestToolCall(credentials, json, new RestToolSettings(4096));
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body));
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/endless")) {
                endless(exchange);
                return;
            }
            if (path.startsWith("/stalled")) {
                // The headers and a little of the body, then nothing for longer than the tool's timeout.
                exchange.sendResponseHeaders(200, 100);
                exchange.getResponseBody().write("{\"partial\": ".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                sleep();
                exchange.close();
                return;
            }
            if (path.startsWith("/slow")) {
                sleep();
            }
            int status = path.startsWith("/missing") ? 404 : 200;
            byte[] answer = (path.startsWith("/text") ? "plain words" : "{\"temperature\": 21}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", path.startsWith("/text") ? "text/plain" : "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        // A handler that never ends its answer must not hold up the others.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** A body that never ends: written until the client closes the connection. */
    private static void endless(HttpExchange exchange) {
        byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        try (exchange) {
            exchange.sendResponseHeaders(200, 0);
            while (true) {
                exchange.getResponseBody().write(chunk);
            }
        } catch (IOException e) {
            // The client stopped reading: the cap worked.
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Tool tool(RestRequest request, Credential credential) {
        return new Tool(null, null, "t", null, "t", IntegrationType.REST, null, "{\"type\":\"object\"}", null, null,
                json.writeValueAsString(request), credential.type(), credentials.seal(credential), true, Set.of(),
                null, null, null, 0);
    }

    @Test
    void fillsThePathQueryHeadersAndBodyAndSendsTheCredential() {
        RestRequest request = new RestRequest("POST", base() + "/weather/{city}", Map.of("units", "{units}"),
                Map.of("X-Trace", "trace-{id}"), "arguments", null, 5000);
        JsonNode result = calls.call(tool(request, new Credential(AuthType.BASIC, "svc", "s3cret", null)),
                json.readTree("{\"city\": \"São Paulo/../admin\", \"units\": \"metric&x=1\", \"id\": 7}"));

        assertThat(result.get("isError").asBoolean()).isFalse();
        assertThat(result.get("structuredContent").get("temperature").asInt()).isEqualTo(21);
        assertThat(result.get("content").get(0).get("text").asString()).isEqualTo("{\"temperature\": 21}");
        Seen s = seen.getFirst();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.rawPath()).isEqualTo("/weather/S%C3%A3o%20Paulo%2F..%2Fadmin");
        assertThat(s.rawQuery()).isEqualTo("units=metric%26x%3D1");
        assertThat(s.headers().get("X-trace")).containsExactly("trace-7");
        assertThat(s.headers().get("Authorization")).containsExactly("Basic "
                + Base64.getEncoder().encodeToString("svc:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(json.readTree(s.body())).isEqualTo(json.readTree(
                "{\"city\": \"São Paulo/../admin\", \"units\": \"metric&x=1\", \"id\": 7}"));
    }

    @Test
    void bearerAndHeaderCredentialsAndBodyTemplates() {
        RestRequest request = new RestRequest("PUT", base() + "/items", Map.of(), Map.of(), "template",
                "{\"name\": \"{name}\"}", null);
        calls.call(tool(request, new Credential(AuthType.BEARER, null, "tok", null)),
                json.readTree("{\"name\": \"widget\"}"));
        calls.call(tool(request, new Credential(AuthType.HEADER, null, "key-1", "X-Api-Key")),
                json.readTree("{\"name\": \"gadget\"}"));
        assertThat(seen.get(0).headers().get("Authorization")).containsExactly("Bearer tok");
        assertThat(seen.get(0).body()).isEqualTo("{\"name\": \"widget\"}");
        assertThat(seen.get(1).headers().get("X-api-key")).containsExactly("key-1");
        assertThat(seen.get(1).headers()).doesNotContainKey("Authorization");
    }

    @Test
    void failuresAreResultsWithIsErrorNeverExceptions() {
        JsonNode missing = calls.call(tool(new RestRequest("GET", base() + "/missing", null, null, null, null, 2000),
                Credential.NONE), null);
        assertThat(missing.get("isError").asBoolean()).isTrue();
        assertThat(missing.get("content").get(0).get("text").asString()).startsWith("HTTP 404: ");
        assertThat(missing.has("structuredContent")).isFalse();

        JsonNode slow = calls.call(tool(new RestRequest("GET", base() + "/slow", null, null, null, null, 200),
                Credential.NONE), null);
        assertThat(slow.get("isError").asBoolean()).isTrue();
        assertThat(slow.get("content").get(0).get("text").asString()).contains("within 200 ms");

        server.stop(0);
        JsonNode refused = calls.call(tool(new RestRequest("GET", base() + "/text", null, null, null, null, 2000),
                Credential.NONE), null);
        assertThat(refused.get("isError").asBoolean()).isTrue();
        assertThat(refused.get("content").get(0).get("text").asString()).startsWith("the endpoint could not be reached");

        JsonNode injected = calls.call(tool(new RestRequest("GET", base() + "/text", null, Map.of("X-A", "{v}"), null,
                null, 2000), Credential.NONE), json.readTree("{\"v\": \"a\\r\\nX-Evil: 1\"}"));
        assertThat(injected.get("isError").asBoolean()).isTrue();
    }

    @Test
    void anEndlessAnswerStopsAtTheCapAndAStalledOneAtTheTimeout() {
        long start = System.nanoTime();
        JsonNode endless = calls.call(tool(new RestRequest("GET", base() + "/endless", null, null, null, null, 5000),
                Credential.NONE), null);
        assertThat(endless.get("isError").asBoolean()).isTrue();
        assertThat(endless.get("content").get(0).get("text").asString())
                .isEqualTo("the endpoint's answer is larger than the 4096 byte cap (SWITCHBOARD_REST_MAX_RESPONSE_BYTES);"
                        + " it was not read further");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));

        start = System.nanoTime();
        JsonNode stalled = calls.call(tool(new RestRequest("GET", base() + "/stalled", null, null, null, null, 300),
                Credential.NONE), null);
        assertThat(stalled.get("isError").asBoolean()).isTrue();
        assertThat(stalled.get("content").get(0).get("text").asString()).contains("within 300 ms");
        // The timeout, and a margin for a busy machine; the endpoint itself stalls for 1.5 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1300));
    }

    @Test
    void plainTextAnswersAreTextContentOnly() {
        JsonNode result = calls.call(tool(new RestRequest("GET", base() + "/text", null, null, null, null, 2000),
                Credential.NONE), json.createObjectNode());
        assertThat(result.get("content").get(0).get("text").asString()).isEqualTo("plain words");
        assertThat(result.has("structuredContent")).isFalse();
        assertThat(seen.getFirst().body()).isEmpty();
    }

    /** The slowness under test: a /slow endpoint takes 1.5 s to answer. */
    private static void sleep() {
        try {
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
