package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway in a container, seen from the host through its published port: the administrator's API and /mcp.
 * It is given a REST tool on its own /health and, as an upstream MCP server, its own /mcp: both are reachable from
 * inside any container the gateway runs in, so a tools/call goes out of the gateway to an upstream and back.
 */
final class ContainerGateway {

    private static final Pattern GENERATED_PASSWORD =
            Pattern.compile("Generated administrator password for admin: (\\S+)");

    private final String base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code hostAndPort} as `docker port` prints it; {@code adminPassword} null for no credential. */
    ContainerGateway(String hostAndPort, String adminPassword) {
        this.base = "http://" + hostAndPort.replace("0.0.0.0", "127.0.0.1");
        this.authorization = adminPassword == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    /** The same gateway, with the administrator's password. */
    ContainerGateway as(String adminPassword) {
        return new ContainerGateway(base.substring("http://".length()), adminPassword);
    }

    /** The password the first start printed, from the container's log. */
    static String generatedPassword(String log) {
        Matcher banner = GENERATED_PASSWORD.matcher(log);
        assertThat(banner.find()).as("the generated administrator password in the log:\n" + log).isTrue();
        return banner.group(1);
    }

    /** Waits, up to the deadline, until /ready answers 200; fails early with the log once {@code alive} is false. */
    void awaitReady(Duration deadline, BooleanSupplier alive, Supplier<String> log) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(alive.getAsBoolean()).as("the container is running; its log:\n" + log.get()).isTrue();
            try {
                return get("/ready").statusCode() == 200;
            } catch (IOException notListening) {
                return false;
            }
        });
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Registers the REST tool {@code name}: GET of the gateway's own /health, from inside its container. */
    void registerHealthTool(String name) throws IOException, InterruptedException {
        String body = """
                {"name": "%s", "description": "The gateway's own liveness, seen from its container",
                 "inputSchema": {"type": "object"},
                 "request": {"method": "GET", "url": "http://127.0.0.1:8080/health"}}""".formatted(name);
        HttpResponse<String> created = http.send(request("/v1/tools").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /**
     * Registers the gateway's own /mcp, from inside its container, as the upstream MCP server {@code slug}
     * (Streamable HTTP, the administrator's password): discovery federates the tools the gateway has, so a call to
     * {@code slug.<tool>} goes out through the federation client and back in. Returns the registration's answer.
     */
    String registerItselfAsUpstream(String slug, String adminPassword) throws IOException, InterruptedException {
        String body = """
                {"name": "%s", "slug": "%s", "url": "http://127.0.0.1:8080/mcp",
                 "auth": {"type": "basic", "username": "admin", "password": "%s"}}"""
                .formatted(slug, slug, adminPassword);
        HttpResponse<String> created = http.send(request("/v1/gateways").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).as("the discovery of the upstream").contains("\"status\":\"completed\"");
        return created.body();
    }

    /** Calls the tool through /mcp (stateless revision 2026-07-28) and returns the JSON-RPC answer. */
    String callTool(String name) throws IOException, InterruptedException {
        String body = """
                {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "%s", "arguments": {},
                 "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                           "io.modelcontextprotocol/clientCapabilities": {},
                           "io.modelcontextprotocol/clientInfo": {"name": "docker-test", "version": "1"}}}}"""
                .formatted(name);
        HttpResponse<String> answer = http.send(request("/mcp").header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", "tools/call").header("Mcp-Name", name)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }
}
