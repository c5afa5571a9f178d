package dev.switchboard.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.TestEngines;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A registration whose discovery fails says why in words people use (connection refused, timed out after 1 s, the
 * server answered 404, a command not found), never with a Java exception's class name; and the upstream is not
 * shown as reachable, in the registration's answer or later.
 */
class DiscoveryFailureTextTest {

    /** Anything that reads like a class name: ConnectException, HttpTimeoutException, java.net... */
    private static final String CLASS_NAME = ".*([A-Z][A-Za-z]*(Exception|Error)|java\\.[a-z]+\\.).*";

    @Test
    void aFailedDiscoverySaysWhyInWordsAndTheUpstreamIsNotReachable() throws Exception {
        HttpServer notFound = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        notFound.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        notFound.start();
        // Accepts connections (the kernel's backlog does) and never answers a byte.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                     Map.of("SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT", "PT1S"))) {
            Client admin = gateway.admin();
            int refusedPort = LoopbackPorts.free();

            expectFailure(admin, Map.of("name", "refused", "url", "http://127.0.0.1:" + refusedPort + "/mcp"),
                    "connection refused");
            expectFailure(admin, Map.of("name", "silent", "url", "http://127.0.0.1:" + silent.getLocalPort() + "/mcp"),
                    "timed out after 1 s");
            expectFailure(admin, Map.of("name", "missing", "url",
                    "http://127.0.0.1:" + notFound.getAddress().getPort() + "/mcp"), "the server answered 404");
            expectFailure(admin, Map.of("name", "no-such-command", "command",
                    Map.of("command", "/nonexistent/upstream-binary")), "could not be started: not found");
        } finally {
            notFound.stop(0);
        }
    }

    private static void expectFailure(Client admin, Map<String, Object> body, String words) {
        Reply created = admin.post("/v1/gateways", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode discovery = created.json().get("discovery");
        assertThat(discovery.get("status").asString()).as(created.toString()).isEqualTo("failed");
        String detail = discovery.get("detail").asString();
        assertThat(detail).contains(words).doesNotMatch(CLASS_NAME);
        assertThat(created.json().get("reachable").asBoolean()).as("reachable in the answer").isFalse();

        JsonNode read = admin.get("/v1/gateways/" + UUID.fromString(created.id())).json();
        assertThat(read.get("reachable").asBoolean()).as("reachable when read again").isFalse();
        // A health check may have run since, with its own words; either way, no class name.
        assertThat(read.at("/health/lastError").asString()).isNotBlank().doesNotMatch(CLASS_NAME);
    }
}
