package dev.switchboard.federation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Streamable HTTP MCP server (2025-11-25) that answers each method with JSON text written by the test, byte for
 * byte: no library parses and writes it again on the way, so what the gateway received is exactly what the test
 * wrote, member order and number spelling included. The SDK servers cannot do that: they hold schemas in maps and
 * numbers as doubles.
 */
final class VerbatimUpstream implements AutoCloseable {

    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|-?\\d+)");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** {@code results}: method name to the text of its result; initialize and ping are answered as below. */
    VerbatimUpstream(String instructions, Map<String, String> results) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/mcp", exchange -> {
            try (exchange) {
                answer(exchange, instructions, results);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp";
    }

    private static void answer(HttpExchange exchange, String instructions, Map<String, String> results)
            throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders("DELETE".equals(exchange.getRequestMethod()) ? 204 : 405, -1);
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher method = METHOD.matcher(body);
        Matcher id = ID.matcher(body);
        if (!method.find() || !id.find()) {
            exchange.sendResponseHeaders(202, -1); // a notification or a response
            return;
        }
        String result = switch (method.group(1)) {
            case "initialize" -> "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{},\"prompts\":{},"
                    + "\"resources\":{}},\"serverInfo\":{\"name\":\"verbatim\",\"version\":\"1\"}"
                    + (instructions == null ? "" : ",\"instructions\":\"" + instructions + "\"") + "}";
            case "ping" -> "{}";
            default -> results.get(method.group(1));
        };
        if (result == null) {
            // server/discover (a 2026-07-28 probe) and anything else this server does not have.
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        byte[] bytes = ("{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":" + result + "}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if ("initialize".equals(method.group(1))) {
            exchange.getResponseHeaders().set("Mcp-Session-Id", "verbatim-session");
        }
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
