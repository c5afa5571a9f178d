package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DNS-rebinding protection: the Origin allow-list and the Host check on the MCP endpoints (SQLite suffices). */
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
    void byDefaultNoWebPageMayCallTheGatewayWhileOtherClientsMay() {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of())) {
            Client mcp = gateway.as("alice", "mcp:use");
            assertThat(initialize(mcp, null).status()).isEqualTo(200);
            Reply refused = initialize(mcp, "http://127.0.0.1:6274");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().get("error").get("code").asInt()).isEqualTo(-32600);
            assertThat(refused.json().get("error").get("message").asString()).contains("Origin");
            // Refused before authentication: a forged page learns nothing else.
            assertThat(initialize(gateway.anonymous(), "https://evil.example").status()).isEqualTo(403);
            // The registry API is not an MCP endpoint: its own rules apply.
            assertThat(gateway.admin().send("GET", "/v1/tags", null, Map.of("Origin", "https://evil.example"))
                    .status()).isEqualTo(200);
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
    void hostNamesLoseTheirPortButKeepIpv6Brackets() {
        assertThat(OriginGuard.Guard.hostName("Example.COM:8080")).isEqualTo("example.com");
        assertThat(OriginGuard.Guard.hostName("[::1]:8080")).isEqualTo("[::1]");
        assertThat(OriginGuard.Guard.hostName("[::1]")).isEqualTo("[::1]");
        assertThat(OriginGuard.Guard.hostName(null)).isEmpty();
    }
}
