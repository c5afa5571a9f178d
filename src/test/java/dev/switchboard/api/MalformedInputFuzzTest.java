package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.RawHttp;
import dev.switchboard.testing.TestEngines;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Thousands of malformed requests, generated, against one running gateway: odd methods, paths with encoded
 * traversal and junk escapes, broken query strings, wrong and wildcard media types, bodies that are half JSON or
 * not UTF-8, MCP messages of the session and the stateless revisions with bad headers, with and without valid
 * credentials. Whatever arrives, the answer comes within the deadline, is no 5xx, carries no HTML and no stack
 * trace, and is a problem, JSON (a JSON-RPC error) or an event stream.
 */
class MalformedInputFuzzTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static GatewayUnderTest gateway;
    private static RawHttp raw;
    private static String adminBasic;
    private static String bearer;

    @BeforeContainer
    static void start() {
        gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of());
        raw = new RawHttp(Integer.parseInt(gateway.baseUrl().substring(gateway.baseUrl().lastIndexOf(':') + 1)),
                DEADLINE);
        adminBasic = gateway.admin().authorization();
        bearer = "Bearer " + gateway.jwt("fuzzer", "mcp:use catalog:read catalog:write tokens:manage");
    }

    @AfterContainer
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Property(tries = 2500, edgeCases = EdgeCasesMode.MIXIN)
    void noMalformedRequestGetsA5xxHtmlOrAStackTrace(@ForAll("requests") Request request) throws Exception {
        RawHttp.Answer answer = raw.send(request.head(), request.body());
        String what = request.describe();
        assertThat(answer.status()).as(what).isBetween(100, 499);
        assertThat(answer.body()).as(what).doesNotContainIgnoringCase("<html")
                .doesNotContain("at dev.switchboard").doesNotContain("Exception").doesNotContain("at org.");
        if (!answer.body().isEmpty()) {
            assertThat(answer.mediaType()).as(what)
                    .isIn("application/problem+json", "application/json", "text/event-stream");
        }
    }

    /** One request as it goes on the wire. */
    record Request(String method, String target, List<String> headers, byte[] body) {

        byte[] head() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            headers.forEach(h -> out.writeBytes((h + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
            out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return out.toByteArray();
        }

        String describe() {
            String text = new String(body, StandardCharsets.UTF_8);
            return method + " " + target + " " + headers + " body: " + text.substring(0, Math.min(200, text.length()));
        }
    }

    @Provide
    Arbitrary<Request> requests() {
        return Combinators.combine(methods(), targets(), headers(), bodies()).as(Request::new);
    }

    private static Arbitrary<String> methods() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("POST")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("GET")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("TRACE", "FOO", "PROPFIND", "get", "CONNECT")));
    }

    private static Arbitrary<String> targets() {
        Arbitrary<String> path = Arbitraries.of("/v1/tools", "/v1/tools/0b1c6f0e-3e8a-4c8e-9d6f-2f0a3b4c5d6e",
                "/v1/gateways", "/v1/servers", "/v1/resources", "/v1/prompts", "/v1/tags", "/v1/tokens",
                "/v1/export", "/v1/import", "/v1/tools/x/invoke", "/mcp", "/servers/x/mcp", "/messages",
                "/servers/x/messages", "/health", "/ready", "/metrics/prometheus", "/openapi.json", "/error",
                "/", "/nothing");
        Arbitrary<String> mutation = Arbitraries.of("", "", "", "/%2e%2e", "/..", "%2f", "%5c", "%00", "%25", ";x=1",
                "//", "/./", "%zz", "%ff", "%c3", "/\u00e9", "%20", "/%2e", "%0d%0a", "~", "/x{y}", "|", "\t");
        Arbitrary<String> query = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.of("?enabled=%ff", "?q=%00", "?q=%zz", "?q=%", "?limit=-1", "?limit=abc",
                        "?cursor=!!!", "?enabled=true&enabled=false", "?q=%e2%82", "?=&=&", "?%ff", "?q=%0a",
                        "?sessionId=x", "?sessionId=%00", "?q=" + "a".repeat(3000), "?cursor=%7B%7D", "?q=%c2%85"),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30).map(s -> "?" + s));
        return Combinators.combine(path, mutation, Arbitraries.integers().between(0, 3), query)
                .as((p, m, at, q) -> {
                    int cut = Math.min(p.length(), 1 + at * Math.max(1, p.length() / 3));
                    return (p.substring(0, cut) + m + p.substring(cut) + q).replace(' ', '+');
                });
    }

    private static Arbitrary<List<String>> headers() {
        Arbitrary<String> authorization = Arbitraries.of("", "", "Authorization: ADMIN", "Authorization: BEARER",
                "Authorization: BEARER", "Authorization: Bearer x", "Authorization: Basic !!!",
                "Authorization: Basic " + "YTpi", "Authorization: Bearer sbt_nope", "Authorization: Negotiate x",
                "Authorization: ");
        Arbitrary<String> contentType = Arbitraries.of("", "Content-Type: application/json",
                "Content-Type: application/json", "Content-Type: */*", "Content-Type: application/*",
                "Content-Type: text/plain", "Content-Type: ;;", "Content-Type: json",
                "Content-Type: application/json; charset=bogus", "Content-Type: application/json; charset=utf-16",
                "Content-Type: application/x-www-form-urlencoded", "Content-Type: multipart/form-data",
                "Content-Type: application/merge-patch+json", "Content-Type: text/event-stream",
                "Content-Type: application/xml", "Content-Type: application/json;;;q=\"");
        Arbitrary<String> accept = Arbitraries.of("", "Accept: application/json, text/event-stream", "Accept: */*",
                "Accept: text/html", "Accept: application/xml", "Accept: text/event-stream", "Accept: ;;;",
                "Accept: application/problem+json", "Accept: image/*;q=2");
        Arbitrary<String> mcp = Arbitraries.of("", "", "MCP-Protocol-Version: 2026-07-28",
                "MCP-Protocol-Version: 2025-06-18", "MCP-Protocol-Version: 1999-01-01", "MCP-Protocol-Version: ",
                "Mcp-Session-Id: nope", "Mcp-Method: tools/list", "Mcp-Name: =?base64?!!!?=",
                "Last-Event-ID: x", "If-Match: \"nope\"", "If-Match: *", "Origin: http://evil.example",
                "X-Junk: \u0085\u00ff", "Mcp-Session-Id: \u00e9\u0080", "Range: bytes=0-1",
                "Transfer-Encoding: gzip", "Expect: 100-continue");
        return Combinators.combine(authorization, contentType, accept, mcp, mcp).as((a, c, x, m1, m2) -> {
            List<String> all = new java.util.ArrayList<>();
            for (String h : new String[] {a, c, x, m1, m2}) {
                if (!h.isEmpty()) {
                    all.add(h.replace("ADMIN", adminBasic).replace("BEARER", bearer));
                }
            }
            return all;
        });
    }

    private static Arbitrary<byte[]> bodies() {
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}}";
        String stateless = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"_meta\":{"
                + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
        String call = "{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"tools/call\",\"params\":{\"name\":\"none\","
                + "\"arguments\":{\"a\":1},\"_meta\":{\"progressToken\":1,"
                + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
        String tool = "{\"name\":\"t\",\"description\":\"d\",\"integrationType\":\"REST\",\"url\":\"http://127.0.0.1:9/\"}";
        Arbitrary<String> seeds = Arbitraries.of("", initialize, stateless, call, tool, "[" + initialize + "]", "[]",
                "{}", "null", "1", "\"x\"", "{\"jsonrpc\":\"2.0\"}", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":1}",
                "{\"name\":null}", "[".repeat(3000), "{\"a\":" + "9".repeat(2000) + "}", "{\"a\":1}garbage",
                "{\"a\":\"\\ud800\"}", "name=x&tags=%ff", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
        Arbitrary<String> mutated = Combinators.combine(seeds, Arbitraries.integers().between(0, 100),
                Arbitraries.of("", "", "}", "\"", "\\", "\u0000", ",", "{", "]", "\u00e9", "\ufffe", "\\u0000"))
                .as((s, at, insert) -> {
                    int cut = s.isEmpty() ? 0 : (at * s.length()) / 101;
                    return s.substring(0, cut) + insert + s.substring(cut);
                });
        Arbitrary<byte[]> text = mutated.map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, text), net.jqwik.api.Tuple.of(1, junk));
    }
}
