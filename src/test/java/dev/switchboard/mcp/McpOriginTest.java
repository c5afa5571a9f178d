package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngines;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DNS-rebinding protection: the Origin rule (loopback pages, the public URL's origin, the allow-list) and the Host
 * check on the MCP endpoints. SQLite suffices: no engine is involved.
 */
class McpOriginTest {

    private static final String INITIALIZE = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\":"
            + " {\"protocolVersion\": \"2025-06-18\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"t\","
            + " \"version\": \"1\"}}}";

    private static Reply initialize(Client client, String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json, text/event-stream");
        if (origin != null) {
            headers.put("Origin", origin);
        }
        return client.send("POST", "/mcp", INITIALIZE, headers);
    }

    @Test
    void byDefaultLoopbackPagesAndClientsWithoutOriginAreServedAndForeignPagesRefused() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of())) {
            Client mcp = gateway.as("alice", "mcp:use");
            assertThat(initialize(mcp, null).status()).isEqualTo(200);
            // A page on a loopback host, any port, http or https: what the official SDKs accept by default.
            for (String loopback : List.of("http://127.0.0.1:6274", "http://localhost:3000", "https://localhost",
                    "http://[::1]:8080", "HTTP://LocalHost:5173")) {
                assertThat(initialize(mcp, loopback).status()).as(loopback).isEqualTo(200);
            }
            // Names that only look like loopback, opaque origins and every other page: refused.
            for (String foreign : List.of("https://evil.example", "http://127.0.0.1.evil.example",
                    "http://localhost.evil.example:6274", "null", "file://localhost", "ws://localhost:3000")) {
                Reply refused = initialize(mcp, foreign);
                assertThat(refused.status()).as(foreign).isEqualTo(403);
                assertThat(refused.json().get("error").get("code").asInt()).isEqualTo(-32600);
                assertThat(refused.json().get("error").get("message").asString()).contains("Origin");
            }
            // Refused before authentication: a forged page learns nothing else.
            assertThat(initialize(gateway.anonymous(), "https://evil.example").status()).isEqualTo(403);
            // DNS rebinding: the attacker's name is in Host and in Origin alike. That the two match proves nothing.
            int port = URI.create(gateway.baseUrl()).getPort();
            String rebound = rawPost(gateway, "evil.example:" + port, "http://evil.example:" + port,
                    mcp.authorization());
            assertThat(rebound).startsWith("HTTP/1.1 403");
            // The gateway's own name in both, when it has no public URL configured, is no better.
            assertThat(rawPost(gateway, "gw.example.com", "https://gw.example.com", mcp.authorization()))
                    .startsWith("HTTP/1.1 403");
            // ... while the loopback page the gateway really is reached from passes the same raw path.
            assertThat(rawPost(gateway, "127.0.0.1:" + port, "http://127.0.0.1:" + port, mcp.authorization()))
                    .startsWith("HTTP/1.1 200");
            // The registry API is not an MCP endpoint: its own rules apply.
            assertThat(gateway.admin().send("GET", "/v1/tags", null, Map.of("Origin", "https://evil.example"))
                    .status()).isEqualTo(200);
        }
    }

    @Test
    void thePublicUrlsOwnOriginIsServed() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of(
                "SWITCHBOARD_PUBLIC_URL", "https://GW.example.com:443/switchboard/"))) {
            Client mcp = gateway.as("alice", "mcp:use");
            assertThat(initialize(mcp, "https://gw.example.com").status()).isEqualTo(200);
            assertThat(initialize(mcp, "https://gw.example.com:443").status()).isEqualTo(200);
            // Another scheme or port is another origin.
            assertThat(initialize(mcp, "http://gw.example.com").status()).isEqualTo(403);
            assertThat(initialize(mcp, "https://gw.example.com:8443").status()).isEqualTo(403);
            assertThat(initialize(mcp, "https://evil.example").status()).isEqualTo(403);
            assertThat(initialize(mcp, "http://localhost:6274").status()).isEqualTo(200);
            int port = URI.create(gateway.baseUrl()).getPort();
            assertThat(rawPost(gateway, "gw.example.com", "https://gw.example.com", mcp.authorization()))
                    .startsWith("HTTP/1.1 200");
            assertThat(rawPost(gateway, "evil.example:" + port, "http://evil.example:" + port, mcp.authorization()))
                    .startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void loopbackPagesCanBeRefusedToo() {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of(
                "SWITCHBOARD_ALLOW_LOOPBACK_ORIGINS", "false",
                "SWITCHBOARD_ALLOWED_ORIGINS", "http://localhost:6274"))) {
            Client mcp = gateway.as("alice", "mcp:use");
            assertThat(initialize(mcp, "http://127.0.0.1:6274").status()).isEqualTo(403);
            assertThat(initialize(mcp, "http://localhost:3000").status()).isEqualTo(403);
            assertThat(initialize(mcp, "http://[::1]:6274").status()).isEqualTo(403);
            // A listed loopback page is still served, and clients without Origin always are.
            assertThat(initialize(mcp, "http://localhost:6274").status()).isEqualTo(200);
            assertThat(initialize(mcp, null).status()).isEqualTo(200);
        }
    }

    /**
     * One initialize over a plain socket, with a {@code Host} of the test's choosing (java.net.http will not send
     * one): how a browser behind a rebound DNS name reaches the gateway. Returns the whole response's text.
     */
    private static String rawPost(GatewayUnderTest gateway, String host, String origin, String authorization)
            throws IOException {
        URI base = URI.create(gateway.baseUrl());
        byte[] body = INITIALIZE.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
                    + "\r\nAuthorization: " + authorization + "\r\nContent-Type: application/json"
                    + "\r\nAccept: application/json, text/event-stream\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void listedOriginsAndHostsAreServedAndOthersRefused() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of(
                "SWITCHBOARD_ALLOWED_ORIGINS", "https://app.example, http://127.0.0.1:6274/",
                "SWITCHBOARD_ALLOWED_HOSTS", "127.0.0.1"))) {
            Client mcp = gateway.as("alice", "mcp:use");
            assertThat(initialize(mcp, "https://app.example").status()).isEqualTo(200);
            assertThat(initialize(mcp, "http://127.0.0.1:6274").status()).isEqualTo(200);
            assertThat(initialize(mcp, "https://app.example.evil.example").status()).isEqualTo(403);
            assertThat(initialize(mcp, null).status()).isEqualTo(200);

            // The same gateway reached by another name, as a rebound DNS name would reach it: refused.
            URI byName = URI.create(gateway.baseUrl().replace("127.0.0.1", "localhost") + "/mcp");
            HttpResponse<String> rebound = HttpClient.newHttpClient().send(HttpRequest.newBuilder(byName)
                            .header("Content-Type", "application/json").header("Authorization", mcp.authorization())
                            .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rebound.statusCode()).isEqualTo(403);
            assertThat(rebound.body()).contains("Host");
        }
    }

    @Test
    void originsAreComparedAsRfc6454SerializesThem() {
        assertThat(OriginGuard.Guard.origin("HTTPS://App.Example:443/")).isEqualTo("https://app.example");
        assertThat(OriginGuard.Guard.origin("http://app.example:80")).isEqualTo("http://app.example");
        assertThat(OriginGuard.Guard.origin("http://app.example:8080")).isEqualTo("http://app.example:8080");
        assertThat(OriginGuard.Guard.origin("null")).isEqualTo("null");
        assertThat(OriginGuard.Guard.isLoopback("http://127.0.0.2:1")).isTrue();
        assertThat(OriginGuard.Guard.isLoopback("http://[::1]")).isTrue();
        assertThat(OriginGuard.Guard.isLoopback("http://127.0.0.1.evil.example")).isFalse();
        assertThat(OriginGuard.Guard.isLoopback("http://0x7f000001")).isFalse();
        assertThat(OriginGuard.Guard.isLoopback("http://[::2]")).isFalse();
    }

    @Test
    void hostNamesLoseTheirPortButKeepIpv6Brackets() {
        assertThat(OriginGuard.Guard.hostName("Example.COM:8080")).isEqualTo("example.com");
        assertThat(OriginGuard.Guard.hostName("[::1]:8080")).isEqualTo("[::1]");
        assertThat(OriginGuard.Guard.hostName("[::1]")).isEqualTo("[::1]");
        assertThat(OriginGuard.Guard.hostName(null)).isEmpty();
    }
}
