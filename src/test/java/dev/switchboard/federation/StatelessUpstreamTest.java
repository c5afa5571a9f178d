package dev.switchboard.federation;

import static dev.switchboard.federation.UpstreamSamples.gateway;
import static dev.switchboard.federation.UpstreamSamples.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.Credentials;
import dev.switchboard.catalog.Transport;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.McpName;
import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.settings.SettingsBinding;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.RecordingFilter;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.UpstreamServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A second Switchboard is a real 2026-07-28 upstream: server/discover makes the connection stateless (no
 * initialize, no session, the MCP headers and _meta on every request). The pool bean of the first gateway is
 * used as the application uses it.
 */
class StatelessUpstreamTest {

    private static GatewayUnderTest upstream;
    private static GatewayUnderTest gateway;
    private static String page;

    @BeforeAll
    static void start() {
        upstream = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
        page = "handbook-" + UUID.randomUUID();
        assertThat(upstream.admin().post("/v1/resources", Map.of("uri", "docs://" + page + "/intro", "name", page,
                "mimeType", "text/markdown", "text", "# Welcome to the café")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    /** The upstream Switchboard registered as a URL with a bearer credential sealed by the first gateway. */
    private static UpstreamGateway registered(UUID id, long version) {
        String token = upstream.jwt("federation", "mcp:use");
        String sealed = gateway.bean(Credentials.class).seal(new Credential(AuthType.BEARER, null, token, null));
        Instant now = Instant.now();
        return new UpstreamGateway(id, "second-switchboard", "second", null, Transport.STREAMABLE_HTTP,
                upstream.baseUrl() + "/mcp", null, null, AuthType.BEARER, sealed, null, null, true, true, null,
                Set.of(),
                null, now, now, version);
    }

    @Test
    void aSecondSwitchboardIsReachedStatelessly() {
        UpstreamConnections pool = gateway.bean(UpstreamConnections.class);
        UUID id = UUID.randomUUID();
        UpstreamConnection connection = pool.of(registered(id, 1));
        try {
            assertThat(connection.protocolVersion()).isEqualTo("2026-07-28");
            assertThat(connection.serverInfo().get("supportedVersions").toString()).contains("2026-07-28");
            assertThat(((UpstreamPool) pool).transportOf(id)).isEqualTo(Transport.STREAMABLE_HTTP);
            JsonNode resources = connection.request("resources/list", null, UpstreamExchange.NONE);
            assertThat(resources.toString()).contains("docs://" + page + "/intro");
            JsonNode read = connection.request("resources/read",
                    params("{\"uri\":\"docs://" + page + "/intro\"}"), UpstreamExchange.NONE);
            assertThat(read.at("/contents/0/text").asString()).isEqualTo("# Welcome to the café");
            assertThat(read.get("resultType").asString()).isEqualTo("complete");
            // A non-ASCII name goes in the base64 form of Mcp-Name, which the upstream checks against the body: the
            // error is about the unknown tool, not a header mismatch (-32020).
            assertThatThrownBy(() -> connection.request("tools/call", params("{\"name\":\"nü-such-tool\"}"),
                    UpstreamExchange.NONE)).isInstanceOfSatisfying(JsonRpcException.class, e -> {
                        assertThat(e.code()).isNotEqualTo(-32020);
                        assertThat(e.getMessage()).contains("nü-such-tool");
                    });
        } finally {
            pool.forget(id);
        }
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void mcpNameIsBase64WhenItIsNotPlainAscii() {
        assertThat(McpName.encode("get_weather")).isEqualTo("get_weather");
        assertThat(McpName.encode("Hello, 世界")).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
        assertThat(McpName.encode(" padded ")).isEqualTo("=?base64?IHBhZGRlZCA=?=");
        assertThat(McpName.encode("=?base64?literal?=")).isEqualTo(
                "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
    }

    @Test
    void thePoolOpensOnceReplacesOnChangeAndForgets() throws Exception {
        UpstreamConnections pool = gateway.bean(UpstreamConnections.class);
        RecordingFilter seen = new RecordingFilter();
        try (UpstreamServers.Http sdk = UpstreamServers.streamable(seen)) {
            UUID id = UUID.randomUUID();
            UpstreamGateway v1 = gateway(id, Transport.STREAMABLE_HTTP, sdk.url(), null, 1);
            List<Callable<UpstreamConnection>> firstCalls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                firstCalls.add(() -> pool.of(v1));
            }
            List<UpstreamConnection> opened = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Future<UpstreamConnection> f : threads.invokeAll(firstCalls)) {
                    opened.add(f.get());
                }
            }
            assertThat(opened).allSatisfy(c -> assertThat(c).isSameAs(opened.getFirst()));
            assertThat(seen.seen().stream().filter(s -> s.body().contains("\"initialize\"")).count()).isEqualTo(1);

            UpstreamConnection first = opened.getFirst();
            UpstreamConnection second = pool.of(gateway(id, Transport.STREAMABLE_HTTP, sdk.url(), null, 2));
            assertThat(second).isNotSameAs(first);
            assertThat(first.isOpen()).isFalse();
            assertThat(pool.of(gateway(id, Transport.STREAMABLE_HTTP, sdk.url(), null, 2))).isSameAs(second);

            pool.forget(id);
            assertThat(second.isOpen()).isFalse();
            assertThat(seen.seen()).anySatisfy(s -> assertThat(s.method()).isEqualTo("DELETE"));
        }
    }

    @Test
    void badSettingsStopStartupWithAClearMessage() {
        assertThatThrownBy(() -> duration("SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT", "soon"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT").hasMessageContaining("'soon'");
        assertThat(duration("SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT", "PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(duration("SWITCHBOARD_UPSTREAM_REQUEST_TIMEOUT", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(),
                Map.of("SWITCHBOARD_UPSTREAM_CONNECT_TIMEOUT", "PT0S")))
                .hasRootCauseInstanceOf(InvalidSettingException.class);
    }

    /** The request timeout as the gateway binds it from {@code variable}. */
    private static Duration duration(String variable, String text) {
        return SettingsBinding.bind(UpstreamSettings.class, Map.of(variable, text)::get).requestTimeout();
    }
}
