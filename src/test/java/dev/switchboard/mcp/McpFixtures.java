package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/** What the MCP tests share: unique names, raw JSON-RPC requests, the check of an error reply, a REST endpoint. */
final class McpFixtures {

    private McpFixtures() {
    }

    /** A name no earlier run has used, for tests on a shared database. */
    static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** A JSON-RPC 2.0 request, its fields in the usual order. */
    static Map<String, Object> request(Object id, String method, Map<String, Object> params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        m.put("params", params);
        return m;
    }

    /** Asserts that {@code reply} is a JSON-RPC error with this HTTP status and code, and returns the error. */
    static JsonNode error(Reply reply, int status, int code) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode error = reply.json().get("error");
        assertThat(error).as(reply.toString()).isNotNull();
        assertThat(error.get("code").asInt()).as(reply.toString()).isEqualTo(code);
        return error;
    }

    /** A REST endpoint on 127.0.0.1 that answers GET /weather/{city} with the JSON {@code body} makes of the city. */
    static HttpServer weatherService(UnaryOperator<String> body) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/weather/", exchange -> {
                String city = exchange.getRequestURI().getPath().substring("/weather/".length());
                byte[] bytes = body.apply(city).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
