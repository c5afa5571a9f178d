package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What each revision allows, as the server and the client side both read it, and the Mcp-Name form. */
class RevisionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void revisionsAreReadFromTheWireAndWrittenBackTheSame() {
        for (Revision revision : Revision.values()) {
            assertThat(Revision.parse(revision.wire())).contains(revision);
            assertThat(Revision.of(revision.wire())).isSameAs(revision);
        }
        assertThat(Revision.parse("2023-01-01")).isEmpty();
        assertThat(Revision.parse(null)).isEmpty();
        assertThatThrownBy(() -> Revision.of("2023-01-01")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionAndStatelessRevisionsAreApart() {
        assertThat(Revision.SESSION).extracting(Revision::wire)
                .containsExactly("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");
        assertThat(Revision.STATELESS).extracting(Revision::wire).containsExactly("2026-07-28");
        assertThat(Revision.LATEST_SESSION.wire()).isEqualTo("2025-11-25");
        assertThat(Revision.LATEST_STATELESS.wire()).isEqualTo("2026-07-28");
        assertThat(Revision.ASSUMED_WITHOUT_HEADER.wire()).isEqualTo("2025-03-26");
        assertThat(Revision.newestFirst())
                .containsExactly("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
        assertThat(Revision.isSessionRevision("2025-06-18")).isTrue();
        assertThat(Revision.isSessionRevision("2026-07-28")).isFalse();
        assertThat(Revision.isSessionRevision(null)).isFalse();
        assertThat(Revision.isStatelessRevision("2026-07-28")).isTrue();
        assertThat(Revision.isStatelessRevision("2025-11-25")).isFalse();
        assertThat(Revision.isStatelessRevision("2099-01-01")).isFalse();
    }

    @Test
    void initializeSettlesOnTheClientsSessionRevisionOrOffersTheLatest() {
        assertThat(Revision.negotiate("2024-11-05")).isEqualTo("2024-11-05");
        assertThat(Revision.negotiate("2023-01-01")).isEqualTo("2025-11-25");
        // The stateless revision has no initialize: a client that asks for it there gets the latest session one.
        assertThat(Revision.negotiate("2026-07-28")).isEqualTo("2025-11-25");
    }

    @Test
    void featuresArriveWithTheRevisionsThatDefineThem() {
        assertThat(having(Revision::allowsBatches)).containsExactly("2025-03-26");
        assertThat(having(Revision::hasToolAnnotations))
                .containsExactly("2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28");
        assertThat(having(Revision::hasCompletions))
                .containsExactly("2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28");
        assertThat(having(Revision::hasProgressMessages))
                .containsExactly("2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28");
        assertThat(having(Revision::hasTitles)).containsExactly("2025-06-18", "2025-11-25", "2026-07-28");
        assertThat(having(Revision::hasOutputSchema)).containsExactly("2025-06-18", "2025-11-25", "2026-07-28");
        assertThat(having(Revision::isStateless)).containsExactly("2026-07-28");
    }

    @Test
    void theStatelessRevisionDropsTheHandshakeAndAddsDiscovery() {
        for (String method : List.of(MethodNames.INITIALIZE, MethodNames.PING, MethodNames.LOGGING_SET_LEVEL,
                MethodNames.RESOURCES_SUBSCRIBE, MethodNames.RESOURCES_UNSUBSCRIBE)) {
            assertThat(Revision.V2025_11_25.defines(method)).as(method).isTrue();
            assertThat(Revision.V2026_07_28.defines(method)).as(method).isFalse();
        }
        for (String method : List.of(MethodNames.SERVER_DISCOVER, MethodNames.SUBSCRIPTIONS_LISTEN)) {
            assertThat(Revision.V2024_11_05.defines(method)).as(method).isFalse();
            assertThat(Revision.V2026_07_28.defines(method)).as(method).isTrue();
        }
        for (Revision revision : Revision.values()) {
            assertThat(revision.defines(MethodNames.TOOLS_CALL)).isTrue();
            assertThat(revision.defines(MethodNames.COMPLETION_COMPLETE)).isTrue();
        }
    }

    @Test
    void mcpNameKeepsPlainAsciiAndEncodesTheRest() {
        assertThat(McpName.encode("get_weather")).isEqualTo("get_weather");
        assertThat(McpName.encode("Hello, 世界")).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
        assertThat(McpName.encode(" padded ")).isEqualTo("=?base64?IHBhZGRlZCA=?=");
        assertThat(McpName.encode("")).isEqualTo("=?base64??=");
        // A plain value that looks encoded is encoded, so that the receiver does not decode it by mistake.
        assertThat(McpName.encode("=?base64?literal?=")).isEqualTo("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
        for (String value : List.of("get_weather", "Hello, 世界", " padded ", "", "=?base64?literal?=",
                "docs://café/intro", "tab\there")) {
            assertThat(McpName.decode(McpName.encode(value))).as(value).isEqualTo(value);
        }
        assertThat(McpName.decode("=?base64?")).isEqualTo("=?base64?");
        assertThatThrownBy(() -> McpName.decode("=?base64?not base64!?=")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mcpNameMirrorsTheNameOrTheUri() {
        assertThat(McpName.param(MethodNames.TOOLS_CALL)).isEqualTo("name");
        assertThat(McpName.param(MethodNames.PROMPTS_GET)).isEqualTo("name");
        assertThat(McpName.param(MethodNames.RESOURCES_READ)).isEqualTo("uri");
        assertThat(McpName.param(MethodNames.TOOLS_LIST)).isNull();
    }

    @Test
    void aPeersErrorIsKeptWholeAndOursIsBuiltFromItsParts() {
        JsonNode sent = JSON.readTree("{\"code\":-32002,\"message\":\"Resource not found\",\"data\":{\"uri\":\"x\"},"
                + "\"extra\":true}");
        JsonRpcException received = JsonRpcException.received(sent);
        assertThat(received.code()).isEqualTo(-32002);
        assertThat(received.getMessage()).isEqualTo("Resource not found");
        assertThat(received.data()).isEqualTo(sent.get("data"));
        assertThat(received.error()).isSameAs(sent);
        assertThat(JsonRpcException.received(JSON.readTree("{}")).code()).isEqualTo(JsonRpc.INTERNAL_ERROR);

        JsonRpcException ours = new JsonRpcException(JsonRpc.METHOD_NOT_FOUND, "Method not found: x");
        assertThat(ours.error().toString()).isEqualTo("{\"code\":-32601,\"message\":\"Method not found: x\"}");
        assertThat(JsonRpc.error(JSON.readTree("7"), ours).toString()).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,\"message\":\"Method not found: x\"}}");
    }

    private static List<String> having(Predicate<Revision> feature) {
        return Stream.of(Revision.values()).filter(feature).map(Revision::wire).toList();
    }
}
