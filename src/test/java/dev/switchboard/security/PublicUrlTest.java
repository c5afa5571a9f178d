package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.testing.RawHttp;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestGateway;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SWITCHBOARD_PUBLIC_URL: checked at start-up, and the base URL of every resource when set; without it only a
 * request whose TCP peer is loopback may derive the base from its Host, and a request over another interface of this
 * machine (its own non-loopback address, a real peer that is not loopback) gets no metadata and no
 * resource_metadata.
 */
class PublicUrlTest {

    private static final String METADATA = McpResources.METADATA_PATH;

    @Test
    void theSettingMustBeAnAbsoluteHttpUrlWithoutQueryOrFragment() {
        assertThat(PublicUrl.parse("https://GW.example.com/prefix/")).isEqualTo(URI.create("https://gw.example.com/prefix"));
        assertThat(PublicUrl.parse("http://127.0.0.1:8080")).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(PublicUrl.parse("  ")).isNull();
        for (String bad : new String[] {"gw.example.com", "/prefix", "ftp://gw.example.com", "https://gw.example.com?a=1",
                "https://gw.example.com/#top", "https://user:pw@gw.example.com", "https:///path", "http://[::1"}) {
            assertThatThrownBy(() -> PublicUrl.parse(bad)).as(bad).isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("SWITCHBOARD_PUBLIC_URL");
        }
    }

    @Test
    void aGatewayWithABadPublicUrlDoesNotStart() {
        assertThatThrownBy(() -> TestGateway.start(Map.of("DATABASE_URL", TestEngines.scratchDatabaseUrl(),
                "SWITCHBOARD_PUBLIC_URL", "https://gw.example.com/?x=1")))
                .hasStackTraceContaining("SWITCHBOARD_PUBLIC_URL must be the gateway's absolute external base URL");
    }

    @Test
    void onlyLoopbackAddressesCount() {
        assertThat(PublicUrl.isLoopback("127.0.0.1")).isTrue();
        assertThat(PublicUrl.isLoopback("127.8.9.10")).isTrue();
        assertThat(PublicUrl.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(PublicUrl.isLoopback("[::1]")).isTrue();
        assertThat(PublicUrl.isLoopback("192.0.2.2")).isFalse();
        assertThat(PublicUrl.isLoopback("::ffff:10.0.0.1")).isFalse();
        assertThat(PublicUrl.isLoopback("localhost")).as("a name is never looked up").isFalse();
        assertThat(PublicUrl.isLoopback(null)).isFalse();
    }

    @Test
    void withoutTheSettingARequestFromAnotherAddressHasNoBaseUrl() throws Exception {
        InetAddress own = nonLoopbackAddress();
        try (TestGateway gateway = TestGateway.start(Map.of("DATABASE_URL", TestEngines.scratchDatabaseUrl(),
                "ADMIN_PASSWORD", "public-url-test-password"))) {
            // From loopback, the Host the client used is the base, whatever it is.
            RawHttp.Answer local = get("127.0.0.1", gateway.port(), METADATA + "/mcp", "localhost:" + gateway.port());
            assertThat(local.status()).isEqualTo(200);
            assertThat(local.body()).contains("\"resource\":\"http://localhost:" + gateway.port() + "/mcp\"");

            // The same gateway reached over this machine's own network address: the peer is not loopback, and the
            // Host it sends could be anything, so nothing is derived from it.
            String remote = own.getHostAddress();
            RawHttp.Answer metadata = get(remote, gateway.port(), METADATA + "/mcp", "evil.example");
            assertThat(metadata.status()).as(metadata.body()).isEqualTo(421);
            assertThat(metadata.mediaType()).isEqualTo("application/problem+json");
            assertThat(metadata.body()).contains("public-url-unknown").contains("SWITCHBOARD_PUBLIC_URL")
                    .doesNotContain("evil.example");
            RawHttp.Answer unauthorized = post(remote, gateway.port(), "/mcp", "evil.example");
            assertThat(unauthorized.status()).isEqualTo(401);
            assertThat(values(unauthorized, "WWW-Authenticate")).contains("Bearer realm=\"switchboard\"")
                    .noneMatch(h -> h.contains("resource_metadata") || h.contains("evil.example"));
        }
    }

    @Test
    void withTheSettingEveryRequestGetsTheConfiguredBase() throws Exception {
        InetAddress own = nonLoopbackAddress();
        try (TestGateway gateway = TestGateway.start(Map.of("DATABASE_URL", TestEngines.scratchDatabaseUrl(),
                "ADMIN_PASSWORD", "public-url-test-password",
                "SWITCHBOARD_PUBLIC_URL", "https://gw.example.com/switchboard/"))) {
            String configured = "https://gw.example.com/switchboard";
            for (String address : new String[] {"127.0.0.1", own.getHostAddress()}) {
                RawHttp.Answer metadata = get(address, gateway.port(), METADATA + "/sse", "other.example");
                assertThat(metadata.status()).as(metadata.body()).isEqualTo(200);
                assertThat(metadata.body()).contains("\"resource\":\"" + configured + "/sse\"")
                        .contains("\"authorization_servers\":[\"" + configured + "\"]");
                RawHttp.Answer unauthorized = post(address, gateway.port(), "/mcp", "other.example");
                assertThat(values(unauthorized, "WWW-Authenticate")).contains("Bearer resource_metadata=\""
                        + configured + METADATA + "/mcp\", scope=\"mcp:use\"");
            }
        }
    }

    /** An address of this machine that is not loopback: requests to it arrive from it, not from 127.0.0.1. */
    private static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!network.isUp() || network.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return address;
                }
            }
        }
        throw new IllegalStateException("This test needs a non-loopback IPv4 address on this machine");
    }

    /** A request with {@code host} as its Host header, sent to the gateway at {@code address}. */
    private static RawHttp.Answer get(String address, int port, String path, String host) throws Exception {
        return new RawHttp(address, port, Duration.ofSeconds(10)).send(("GET " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
    }

    private static RawHttp.Answer post(String address, int port, String path, String host) throws Exception {
        byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        return new RawHttp(address, port, Duration.ofSeconds(10)).send(("POST " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + "Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1), body);
    }

    private static List<String> values(RawHttp.Answer answer, String name) {
        return answer.headers().stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
    }
}
