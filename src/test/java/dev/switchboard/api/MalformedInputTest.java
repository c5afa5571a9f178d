package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.RawHttp;
import dev.switchboard.testing.TestEngines;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each input a mutation fuzzer found answered with a 500, HTML or Spring's default JSON, sent to a running gateway
 * as it arrives on the wire, answered now with a problem (or a JSON-RPC error on the MCP paths).
 */
class MalformedInputTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static GatewayUnderTest gateway;
    private static RawHttp raw;
    private static String admin;

    @BeforeAll
    static void start() {
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
        raw = new RawHttp(Integer.parseInt(gateway.baseUrl().substring(gateway.baseUrl().lastIndexOf(':') + 1)),
                Duration.ofSeconds(10));
        admin = gateway.admin().authorization();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "application/*", "application/*; charset=utf-8"})
    void aWildcardContentTypeOnTheApiIs415(String contentType) throws Exception {
        RawHttp.Answer answer = raw.send("POST", "/v1/tags", "{\"name\":\"x\"}", "Authorization", admin,
                "Content-Type", contentType);
        assertProblem(answer, 415, "unsupported-media-type");
        assertThat(JSON.readTree(answer.body()).get("detail").asString()).contains("wildcard");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "*/json", ";;", "application/json; q=\"x"})
    void aContentTypeThatIsNoMediaTypeIs415(String contentType) throws Exception {
        assertProblem(raw.send("PUT", "/v1/tools/x", "{}", "Authorization", admin, "Content-Type", contentType),
                415, "unsupported-media-type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "PATCH", "DELETE"})
    void aFormBodyWithABadEscapeIsNoServerError(String method) throws Exception {
        RawHttp.Answer answer = raw.send(method, "/v1/tools/x", "%", "Authorization", admin, "Content-Type",
                "application/x-www-form-urlencoded");
        assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
        assertThat(answer.mediaType()).isEqualTo("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mcp", "/servers/any/mcp", "/messages?sessionId=x", "/servers/any/messages"})
    void aBodyThatIsNotDeclaredJsonOnTheMcpPathsIs415WithAJsonRpcError(String path) throws Exception {
        for (String type : new String[] {"*/*", "application/*", "text/plain", "application/x-www-form-urlencoded"}) {
            RawHttp.Answer answer = raw.send("POST", path, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                    "Authorization", admin, "Content-Type", type);
            assertThat(answer.status()).as(type).isEqualTo(415);
            assertThat(answer.mediaType()).isEqualTo("application/json");
            JsonNode error = JSON.readTree(answer.body());
            assertThat(error.get("jsonrpc").asString()).isEqualTo("2.0");
            assertThat(error.get("id").isNull()).isTrue();
            assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
        }
    }

    @Test
    void jsonWithACharsetOrASuffixIsStillTakenOnMcp() throws Exception {
        for (String type : new String[] {"application/json; charset=utf-8", "application/json-rpc+json"}) {
            RawHttp.Answer answer = raw.send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                    + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", "Authorization", admin, "Content-Type", type);
            assertThat(answer.status()).as(type).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).get("result")).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"enabled=%ff", "q=%00", "q=%zz", "q=%", "q=%e2%82", "%ff=1", "q=a%0Db", "q=%c2%85"})
    void aQueryThatIsNotPercentEncodedUtf8TextIs400BeforeAuthentication(String query) throws Exception {
        assertProblem(raw.send("GET", "/v1/tools?" + query, null, "Authorization", admin), 400, "malformed-request");
        assertProblem(raw.send("GET", "/v1/tools?" + query, null), 400, "malformed-request");
        assertProblem(raw.send("POST", "/mcp?" + query, "{}", "Authorization", admin), 400, "malformed-request");
    }

    @Test
    void aWellFormedQueryStillWorks() throws Exception {
        RawHttp.Answer answer = raw.send("GET", "/v1/tools?enabled=true&q=%C3%A9t%C3%A9+x", null,
                "Authorization", admin);
        assertThat(answer.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%2e%2e/v1/tools", "/v1/%2e%2e/%2e%2e/etc", "/v1%2ftools", "/v1%5ctools", "/v1/%00tools",
            "/v1/to ols", "/v1/tools/../../x", "/v1/./tools", "/v1//tools", "/v1/tools;x=1", "/v1/%25", "*"})
    void aPathTomcatOrTheFirewallRefusesIsAProblemNeverHtml(String path) throws Exception {
        for (String[] credentials : new String[][] {{}, {"Authorization", admin}}) {
            RawHttp.Answer answer = raw.send("GET", path, null, credentials);
            assertThat(answer.status()).as(path).isBetween(400, 499);
            assertThat(answer.mediaType()).as(path).isEqualTo("application/problem+json");
            assertThat(answer.body()).doesNotContainIgnoringCase("<html");
        }
    }

    @Test
    void aRequestLineThatIsNotHttpIsAProblem() throws Exception {
        RawHttp.Answer answer = raw.send("GARBAGE\r\n".getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
        assertProblem(answer, 400, "malformed-request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "FOO", "PROPFIND"})
    void anUnsupportedMethodIs405WithAllow(String method) throws Exception {
        for (String[] credentials : new String[][] {{}, {"Authorization", admin}}) {
            RawHttp.Answer answer = raw.send(method, "/v1/tools", null, credentials);
            assertProblem(answer, 405, "method-not-allowed");
            assertThat(answer.header("Allow")).contains("GET", "POST").doesNotContain("TRACE");
        }
    }

    @Test
    void theErrorPageIsNoRoute() throws Exception {
        assertProblem(raw.send("GET", "/error", null, "Authorization", admin), 404, "not-found");
        assertProblem(raw.send("POST", "/error", "{}", "Authorization", admin), 404, "not-found");
        assertProblem(raw.send("GET", "/error", null, "Authorization", admin, "Accept", "text/html"), 404, "not-found");
        assertProblem(raw.send("GET", "/error", null), 401, "unauthorized");
    }

    @Test
    void aControlCharacterInAHeaderAControllerReadsIs400() throws Exception {
        byte[] head = ("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + admin
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nMCP-Protocol-Version: 2026\u0085\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(raw.send(head, "{}".getBytes(StandardCharsets.UTF_8)), 400, "malformed-request");
    }

    private static void assertProblem(RawHttp.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.mediaType()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://switchboard.dev/problems/" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at dev.switchboard");
    }
}
