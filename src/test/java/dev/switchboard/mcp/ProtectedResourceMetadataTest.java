package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.TestEngine;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * RFC 9728 protected resource metadata for every kind of MCP endpoint, served without credentials, and the
 * challenges that point MCP clients at it: a 401 with resource_metadata and the scope, a 403 insufficient_scope.
 * The gateway is reached on 127.0.0.1 with no SWITCHBOARD_PUBLIC_URL, so its base URL is the request's.
 */
class ProtectedResourceMetadataTest {

    private static final String METADATA = "/.well-known/oauth-protected-resource";

    @EngineTest
    void everyMcpEndpointDescribesItselfWithoutCredentials(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        String base = gateway.baseUrl();
        String server = gateway.admin().post("/v1/servers", Map.of("name", "prm-" + UUID.randomUUID())).id();
        Client anonymous = gateway.anonymous();

        for (String endpoint : List.of("", "/mcp", "/sse", "/servers/" + server + "/mcp", "/servers/" + server + "/sse")) {
            Reply reply = anonymous.get(METADATA + endpoint);
            assertThat(reply.status()).as(endpoint + ": " + reply.text()).isEqualTo(200);
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            assertThat(reply.header("Cache-Control")).contains("max-age=300");
            JsonNode metadata = reply.json();
            assertThat(metadata.path("resource").asString()).isEqualTo(base + endpoint);
            assertThat(strings(metadata.path("authorization_servers"))).containsExactly(base);
            assertThat(strings(metadata.path("scopes_supported"))).containsExactly("mcp:use");
            assertThat(strings(metadata.path("bearer_methods_supported"))).containsExactly("header");
        }
    }

    @EngineTest
    void anUnknownOrDisabledServerHasNoMetadata(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        Reply created = admin.post("/v1/servers", Map.of("name", "prm-off-" + UUID.randomUUID()));
        assertThat(admin.patch("/v1/servers/" + created.id(), Map.of("enabled", false), created.etag()).status())
                .isEqualTo(200);

        for (String id : List.of(UUID.randomUUID().toString(), created.id(), "not-a-uuid")) {
            Reply reply = gateway.anonymous().get(METADATA + "/servers/" + id + "/mcp");
            assertThat(reply.status()).as(reply.text()).isEqualTo(404);
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reply.json().path("type").asString()).isEqualTo("https://switchboard.dev/problems/not-found");
        }
        Reply post = gateway.anonymous().post(METADATA + "/mcp", Map.of());
        assertThat(post.status()).isEqualTo(405);
    }

    @EngineTest
    void aRequestWithoutATokenIsToldWhereTheMetadataIs(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        String base = gateway.baseUrl();
        String server = gateway.admin().post("/v1/servers", Map.of("name", "prm-401-" + UUID.randomUUID())).id();
        Map<String, String> sse = Map.of("Accept", "text/event-stream");
        Map<String, String> mcp = Map.of("Accept", "application/json, text/event-stream");
        record Attempt(String method, String path, Map<String, String> headers, String endpoint) {
        }
        List<Attempt> attempts = List.of(
                new Attempt("POST", "/mcp", mcp, "/mcp"),
                new Attempt("POST", "/servers/" + server + "/mcp", mcp, "/servers/" + server + "/mcp"),
                new Attempt("GET", "/sse", sse, "/sse"),
                new Attempt("GET", "/servers/" + server + "/sse", sse, "/servers/" + server + "/sse"),
                new Attempt("POST", "/servers/" + server + "/messages?sessionId=x", mcp, "/servers/" + server + "/sse"));
        for (Attempt attempt : attempts) {
            String challenge = "Bearer resource_metadata=\"" + base + METADATA + attempt.endpoint() + "\", scope=\"mcp:use\"";
            Reply none = gateway.anonymous().send(attempt.method(), attempt.path(), bodyOf(attempt.method()),
                    attempt.headers());
            assertThat(none.status()).as(attempt + " " + none.text()).isEqualTo(401);
            assertThat(none.response().headers().allValues("WWW-Authenticate")).as(attempt.toString())
                    .contains(challenge);
            assertThat(none.header("Content-Type")).startsWith("application/problem+json");

            Reply bad = gateway.bearer("not-a-valid-token").send(attempt.method(), attempt.path(),
                    bodyOf(attempt.method()), attempt.headers());
            assertThat(bad.status()).isEqualTo(401);
            assertThat(bad.response().headers().allValues("WWW-Authenticate")).as(attempt.toString())
                    .contains(challenge + ", error=\"invalid_token\"");

            // What the challenge names is there, without credentials, and describes this very endpoint.
            Reply metadata = gateway.anonymous().get(METADATA + attempt.endpoint());
            assertThat(metadata.json().path("resource").asString()).isEqualTo(base + attempt.endpoint());

            Reply lacking = gateway.withScopes("catalog:read").send(attempt.method(), attempt.path(),
                    bodyOf(attempt.method()), attempt.headers());
            assertThat(lacking.status()).as(lacking.text()).isEqualTo(403);
            assertThat(lacking.response().headers().allValues("WWW-Authenticate")).as(attempt.toString())
                    .containsExactly("Bearer error=\"insufficient_scope\", scope=\"mcp:use\", resource_metadata=\""
                            + base + METADATA + attempt.endpoint() + "\"");
            assertThat(lacking.json().path("scopes").get(0).asString()).isEqualTo("mcp:use");
        }
        // Off the MCP endpoints, the challenge is as it always was.
        Reply api = gateway.anonymous().get("/v1/servers");
        assertThat(api.response().headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"switchboard\"");
    }

    private static String bodyOf(String method) {
        return method.equals("POST") ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}" : null;
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
