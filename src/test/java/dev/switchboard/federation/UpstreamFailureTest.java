package dev.switchboard.federation;

import static dev.switchboard.federation.UpstreamSamples.gateway;
import static dev.switchboard.federation.UpstreamSamples.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.Transport;
import dev.switchboard.testing.RecordingFilter;
import dev.switchboard.testing.UpstreamServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Timeouts, unreachable upstreams, stdio supervision and credentials, against real upstreams. */
class UpstreamFailureTest {

    private static UpstreamOpener opener(Duration requestTimeout, Duration restartMax) {
        UpstreamSettings settings = new UpstreamSettings(Duration.ofSeconds(2), requestTimeout, restartMax);
        return new UpstreamOpener(UpstreamOpener.httpClient(settings), settings);
    }

    @Test
    void aSlowUpstreamTimesOutThatCallAloneAndIsToldToStop() {
        RecordingFilter seen = new RecordingFilter();
        try (UpstreamServers.Http upstream = UpstreamServers.streamable(seen);
             RpcConnection connection = opener(Duration.ofSeconds(1), Duration.ofSeconds(60))
                     .open(gateway(Transport.STREAMABLE_HTTP, upstream.url(), null), Credential.NONE)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> connection.request("tools/call",
                    params("{\"name\":\"slow\",\"arguments\":{\"seconds\":20}}"), UpstreamExchange.NONE))
                    .isInstanceOfSatisfying(UpstreamException.class,
                            e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(connection.request("tools/call", params("{\"name\":\"text\",\"arguments\":{}}"),
                    UpstreamExchange.NONE).at("/content/0/text").asString()).isEqualTo("hello world");
            assertThat(seen.seen()).anySatisfy(s -> assertThat(s.body()).contains("\"notifications/cancelled\"")
                    .contains("Timed out"));
        }
    }

    @Test
    void aForgottenSessionIsInitializedAgainOnce() {
        RecordingFilter seen = new RecordingFilter();
        UpstreamServers.Http before = UpstreamServers.streamable(null);
        int port = before.port();
        try (RpcConnection connection = opener(Duration.ofSeconds(10), Duration.ofSeconds(60))
                .open(gateway(Transport.STREAMABLE_HTTP, before.url(), null), Credential.NONE)) {
            assertThat(connection.request("tools/list", null, UpstreamExchange.NONE).has("tools")).isTrue();
            before.close();
            // The same URL, a new server: it knows nothing of the old session and answers 404 for it.
            try (UpstreamServers.Http after = UpstreamServers.streamable(seen, port)) {
                assertThat(connection.request("tools/call", params("{\"name\":\"text\",\"arguments\":{}}"),
                        UpstreamExchange.NONE).at("/content/0/text").asString()).isEqualTo("hello world");
                assertThat(seen.seen().stream().filter(s -> s.body().contains("\"initialize\"")).count())
                        .isEqualTo(1);
                assertThat(seen.seen()).anySatisfy(s -> assertThat(s.body()).contains("\"tools/call\""));
            }
        }
    }

    @Test
    void anUnreachableUrlFailsFast() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        for (Transport transport : new Transport[] {Transport.STREAMABLE_HTTP, Transport.SSE}) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> opener(Duration.ofSeconds(30), Duration.ofSeconds(60))
                    .open(gateway(transport, "http://127.0.0.1:" + port + "/mcp", null), Credential.NONE))
                    .isInstanceOfSatisfying(UpstreamException.class,
                            e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNREACHABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        assertThatThrownBy(() -> opener(Duration.ofSeconds(30), Duration.ofSeconds(60)).open(gateway(
                Transport.STDIO, null, "{\"command\":\"/nonexistent/upstream-binary\"}"), Credential.NONE))
                .isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNREACHABLE));
    }

    @Test
    void aKilledStdioUpstreamFailsItsCallsAndIsRestarted() throws Exception {
        try (StdioConnection connection = (StdioConnection) opener(Duration.ofSeconds(20), Duration.ofSeconds(2))
                .open(gateway(Transport.STDIO, null, UpstreamServers.stdioCommand(Map.of())), Credential.NONE)) {
            long first = connection.pid();
            Throwable[] failure = new Throwable[1];
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    connection.request("tools/call", params("{\"name\":\"slow\",\"arguments\":{\"seconds\":30}}"),
                            UpstreamExchange.NONE);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            // The call is in flight once its caller waits (with the request timeout) for the answer.
            await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
            // The process was started by this test, through the connection: killed by its own PID.
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            caller.join(5000);
            assertThat(failure[0]).isInstanceOfSatisfying(UpstreamException.class,
                    e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNREACHABLE));
            assertThat(connection.isOpen()).isTrue();
            // Calls fail while the upstream restarts; one succeeds once it is back.
            String answer = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .ignoreException(UpstreamException.class)
                    .until(() -> connection.request("tools/call", params("{\"name\":\"text\",\"arguments\":{}}"),
                            UpstreamExchange.NONE).at("/content/0/text").asString(), Objects::nonNull);
            assertThat(answer).isEqualTo("hello world");
            assertThat(connection.pid()).isNotEqualTo(first);
            long second = connection.pid();
            connection.close();
            assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void credentialsGoOnEveryRequest() {
        RecordingFilter seen = new RecordingFilter();
        try (UpstreamServers.Http upstream = UpstreamServers.streamable(seen)) {
            try (RpcConnection connection = opener(Duration.ofSeconds(10), Duration.ofSeconds(60)).open(
                    gateway(Transport.STREAMABLE_HTTP, upstream.url(), null),
                    new Credential(AuthType.BEARER, null, "s3cret-token", null))) {
                connection.request("tools/list", null, UpstreamExchange.NONE);
                // The session's GET stream opens on its own thread: it must have arrived before the DELETE.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> seen.seen().stream().anyMatch(s -> s.method().equals("GET")));
            }
            // Closing sends the DELETE on a thread of its own, so that it never holds the one closing.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> seen.seen().stream().anyMatch(s -> s.method().equals("DELETE")));
            assertThat(seen.seen()).extracting(RecordingFilter.Seen::method).contains("POST", "GET", "DELETE");
            assertThat(seen.seen()).allSatisfy(s -> assertThat(s.headers().get("authorization"))
                    .isEqualTo("Bearer s3cret-token"));
        }
        RecordingFilter sseSeen = new RecordingFilter();
        try (UpstreamServers.Http upstream = UpstreamServers.sse(sseSeen)) {
            try (RpcConnection connection = opener(Duration.ofSeconds(10), Duration.ofSeconds(60)).open(
                    gateway(Transport.SSE, upstream.url(), null),
                    new Credential(AuthType.BASIC, "ada", "pa:ss", null))) {
                connection.request("tools/list", null, UpstreamExchange.NONE);
            }
            assertThat(sseSeen.seen()).extracting(RecordingFilter.Seen::method).contains("GET", "POST");
            assertThat(sseSeen.seen()).allSatisfy(s -> assertThat(s.headers().get("authorization"))
                    .isEqualTo("Basic YWRhOnBhOnNz"));
        }
        RecordingFilter headerSeen = new RecordingFilter();
        try (UpstreamServers.Http upstream = UpstreamServers.streamable(headerSeen)) {
            try (RpcConnection connection = opener(Duration.ofSeconds(10), Duration.ofSeconds(60)).open(
                    gateway(Transport.STREAMABLE_HTTP, upstream.url(), null),
                    new Credential(AuthType.HEADER, null, "k-123", "X-Api-Key"))) {
                connection.request("tools/list", null, UpstreamExchange.NONE);
            }
            assertThat(headerSeen.seen()).isNotEmpty().allSatisfy(s -> assertThat(s.headers().get("x-api-key"))
                    .isEqualTo("k-123"));
        }
    }
}
