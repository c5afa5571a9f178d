package dev.switchboard.testing;

import dev.switchboard.Switchboard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole application, started as the jar starts it, on a free port, and a plain HTTP client that sends
 * any method with any headers (credentials included) to it.
 */
public final class TestGateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    private TestGateway(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts the gateway with these environment settings (DATABASE_URL, JWT_SECRET, ...) on a free port. */
    public static TestGateway start(Map<String, String> environment) {
        return start(environment, Map.of());
    }

    /**
     * Starts the gateway as {@link #start(Map)} does, with {@code overrides} as command-line arguments: they outrank
     * every properties file, which environment settings given as default properties do not. A {@code server.port}
     * among them replaces the free port (for a peer that must know the gateway's address before it starts).
     */
    public static TestGateway start(Map<String, String> environment, Map<String, String> overrides) {
        Map<String, Object> properties = new LinkedHashMap<>(environment);
        // Every engine but embedded SQLite needs a key; a test that means to start without one does not use this.
        properties.putIfAbsent("SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY);
        // An argument outranks application.properties' server.port; a default property would not.
        return new TestGateway(new SpringApplicationBuilder(Switchboard.class).properties(properties)
                .run(Stream.concat(overrides.containsKey("server.port") ? Stream.<String>empty()
                                : Stream.of("--server.port=0"),
                        overrides.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()))
                        .toArray(String[]::new)));
    }

    /** An Authorization header value for HTTP Basic. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Sends {@code method} to {@code path}; {@code headers} are name, value pairs. A body is sent as JSON unless a Content-Type header says otherwise. */
    public HttpResponse<String> send(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    public int port() {
        return port;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
