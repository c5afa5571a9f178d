package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.RecordingFilter;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.UpstreamServers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An external authorization server (SWITCHBOARD_OAUTH_ISSUER): a real OAuth 2 / OpenID Connect server
 * (mock-oauth2-server, with discovery, JWKS and a token endpoint over HTTP) issues the tokens, by the client
 * credentials grant. The gateway accepts a token only with that issuer and an audience naming the endpoint or the
 * gateway; the client's token never reaches an upstream, which sees only the gateway's own credential for it.
 */
class ExternalAuthorizationServerTest {

    private static final String TRUSTED = "corp";
    private static final String UNTRUSTED = "elsewhere";
    private static final String UPSTREAM_CREDENTIAL = "upstream-own-credential-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static MockOAuth2Server provider;

    @BeforeAll
    static void start() {
        provider = new MockOAuth2Server();
        provider.start();
    }

    @AfterAll
    static void stop() {
        provider.shutdown();
    }

    @EngineTest
    void theProvidersTokensWorkOnlyForTheResourceTheyWereMintedFor(TestEngine engine) throws Exception {
        RecordingFilter seen = new RecordingFilter();
        String issuer = provider.issuerUrl(TRUSTED).toString();
        try (UpstreamServers.Http upstream = UpstreamServers.streamable(seen);
             GatewayUnderTest gateway = GatewayUnderTest.start(engine.newDatabaseUrl(), Map.of(
                     "SWITCHBOARD_OAUTH_ISSUER", issuer, "SWITCHBOARD_AUTH_SERVER_ENABLED", "false"))) {
            String base = gateway.baseUrl();
            String slug = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            Reply registered = gateway.admin().post("/v1/gateways", Map.of("name", slug, "slug", slug,
                    "url", upstream.url(), "auth", Map.of("type", "bearer", "token", UPSTREAM_CREDENTIAL)));
            assertThat(registered.status()).as(registered.text()).isEqualTo(201);
            String serverA = gateway.admin().post("/v1/servers", Map.of("name", "a-" + slug)).id();
            String serverB = gateway.admin().post("/v1/servers", Map.of("name", "b-" + slug)).id();
            String endpointA = "/servers/" + serverA + "/mcp";
            String endpointB = "/servers/" + serverB + "/mcp";

            // The metadata sends clients to the provider.
            JsonNode metadata = gateway.anonymous().get("/.well-known/oauth-protected-resource" + endpointA).json();
            assertThat(metadata.path("authorization_servers").get(0).asString()).isEqualTo(issuer);
            assertThat(metadata.path("authorization_servers").size()).isEqualTo(1);

            // A token for the whole gateway: the official SDK lists and calls the upstream's tool through it, on
            // Streamable HTTP and on the legacy SSE transport.
            String token = token(TRUSTED, base, "mcp:use", 300);
            seen.clear();
            for (McpClientTransport transport : List.of(
                    HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp")
                            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build(),
                    HttpClientSseClientTransport.builder(base).sseEndpoint("/sse")
                            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build())) {
                try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build()) {
                    client.initialize();
                    assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains(slug + ".text");
                    McpSchema.CallToolResult called = client.callTool(McpSchema.CallToolRequest.builder()
                            .name(slug + ".text").arguments(Map.of("name", "Ada")).build());
                    assertThat(((McpSchema.TextContent) called.content().getFirst()).text()).isEqualTo("hello Ada");
                }
            }
            // And statelessly (revision 2026-07-28), where the client's request headers are read by the gateway.
            Reply stateless = gateway.bearer(token).send("POST", "/mcp", StatelessMcp.request("tools/call",
                    Map.of("name", slug + ".text", "arguments", Map.of("name", "Bo")), Map.of()),
                    StatelessMcp.headers("tools/call", slug + ".text"));
            assertThat(stateless.text()).as(stateless.text()).contains("hello Bo");
            // No passthrough: the upstream saw the calls, each with the gateway's credential for it and nothing of
            // the client's token in any header or body.
            assertThat(seen.seen()).filteredOn(s -> s.body() != null && s.body().contains("tools/call")).hasSize(3);
            assertThat(seen.seen()).allSatisfy(request -> {
                assertThat(request.headers().get("authorization")).isEqualTo("Bearer " + UPSTREAM_CREDENTIAL);
                assertThat(request.headers().values()).noneMatch(value -> value.contains(token));
                assertThat(request.body() == null ? "" : request.body()).doesNotContain(token);
            });

            // A token minted for server A works there, and nowhere else.
            String forA = token(TRUSTED, base + endpointA, "mcp:use", 300);
            assertThat(toolsList(gateway, forA, endpointA).status()).isEqualTo(200);
            for (String other : List.of(endpointB, "/mcp")) {
                Reply refused = toolsList(gateway, forA, other);
                assertThat(refused.status()).as(other).isEqualTo(401);
                assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer resource_metadata=\"" + base
                        + "/.well-known/oauth-protected-resource" + other + "\", scope=\"mcp:use\", error=\"invalid_token\"");
                assertThat(refused.json().path("detail").asString()).contains("audience");
            }
            // A token for another service altogether.
            assertUnauthorized(toolsList(gateway, token(TRUSTED, "https://api.example.com", "mcp:use", 300), "/mcp"),
                    base, "/mcp");

            // The same provider's other issuer is not trusted.
            assertUnauthorized(toolsList(gateway, token(UNTRUSTED, base, "mcp:use", 300), endpointA), base, endpointA);

            // Expired (beyond the 30 s clock skew).
            assertUnauthorized(toolsList(gateway, token(TRUSTED, base, "mcp:use", -120), endpointA), base, endpointA);

            // The right issuer and audience, but not the scope.
            Reply lacking = toolsList(gateway, token(TRUSTED, base, "profile", 300), endpointA);
            assertThat(lacking.status()).as(lacking.text()).isEqualTo(403);
            assertThat(lacking.header("WWW-Authenticate")).isEqualTo("Bearer error=\"insufficient_scope\", "
                    + "scope=\"mcp:use\", resource_metadata=\"" + base + "/.well-known/oauth-protected-resource"
                    + endpointA + "\"");
        }
    }

    /**
     * Entra ID's way (docs/authorization.md): v2 tokens name the API's client id in {@code aud}, and carry the scope
     * without its identifier-URI prefix in {@code scp}; the scope a client asks for is prefixed by the resource.
     */
    @EngineTest
    void anEntraStyleProviderWorksWithAnExtraAudienceAndAResourcePrefixedScope(TestEngine engine) throws Exception {
        String issuer = provider.issuerUrl(TRUSTED).toString();
        String clientId = UUID.randomUUID().toString();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(engine.newDatabaseUrl(), Map.of(
                "SWITCHBOARD_OAUTH_ISSUER", issuer, "SWITCHBOARD_AUTH_SERVER_ENABLED", "false",
                "SWITCHBOARD_OAUTH_AUDIENCE", "api://switchboard, " + clientId,
                "SWITCHBOARD_OAUTH_SCOPE", "{resource}/mcp.use"))) {
            String base = gateway.baseUrl();
            String endpoint = "/servers/" + gateway.admin().post("/v1/servers", Map.of("name", "entra-"
                    + UUID.randomUUID())).id() + "/mcp";
            JsonNode metadata = gateway.anonymous().get("/.well-known/oauth-protected-resource" + endpoint).json();
            assertThat(metadata.path("scopes_supported").get(0).asString()).isEqualTo(base + endpoint + "/mcp.use");
            Reply challenge = gateway.anonymous().send("POST", endpoint,
                    StatelessMcp.request("tools/list", Map.of(), Map.of()), StatelessMcp.headers("tools/list", null));
            assertThat(challenge.header("WWW-Authenticate")).isEqualTo("Bearer resource_metadata=\"" + base
                    + "/.well-known/oauth-protected-resource" + endpoint + "\", scope=\"" + base + endpoint + "/mcp.use\"");

            assertThat(toolsList(gateway, token(provider, TRUSTED, clientId, Map.of("scp", "mcp.use"), 300), endpoint)
                    .status()).isEqualTo(200);
            assertThat(toolsList(gateway, token(provider, TRUSTED, "api://switchboard",
                    Map.of("scp", List.of("User.Read", "mcp.use")), 300), endpoint).status()).isEqualTo(200);
            // Another application's token, and this one's without the scope.
            assertThat(toolsList(gateway, token(provider, TRUSTED, UUID.randomUUID().toString(),
                    Map.of("scp", "mcp.use"), 300), endpoint).status()).isEqualTo(401);
            assertThat(toolsList(gateway, token(provider, TRUSTED, clientId, Map.of("scp", "User.Read"), 300),
                    endpoint).status()).isEqualTo(403);
        }
    }

    @Test
    void whenTheProviderIsDownTheAnswerIsA503ProblemNotA500() throws Exception {
        MockOAuth2Server down = new MockOAuth2Server();
        down.start();
        String issuer = down.issuerUrl(TRUSTED).toString();
        String token = token(down, TRUSTED, "http://127.0.0.1", "mcp:use", 300);
        down.shutdown();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(TestEngines.scratchDatabaseUrl(), Map.of(
                "SWITCHBOARD_OAUTH_ISSUER", issuer))) {
            Reply reply = toolsList(gateway, token, "/mcp");
            assertThat(reply.status()).as(reply.text()).isEqualTo(503);
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reply.header("Retry-After")).isNotNull();
            assertThat(reply.json().path("detail").asString()).contains(issuer).contains("SWITCHBOARD_OAUTH_ISSUER");
            // Asked again at once, it answers from what it remembers of the outage, as fast and as clearly.
            assertThat(toolsList(gateway, token, "/mcp").status()).isEqualTo(503);
            // Other credentials keep working meanwhile.
            assertThat(gateway.withScopes("mcp:use").send("POST", "/mcp",
                    StatelessMcp.request("tools/list", Map.of(), Map.of()),
                    StatelessMcp.headers("tools/list", null)).status()).isEqualTo(200);
        }
    }

    private static void assertUnauthorized(Reply reply, String base, String endpoint) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(401);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer resource_metadata=\"" + base
                + "/.well-known/oauth-protected-resource" + endpoint + "\", scope=\"mcp:use\", error=\"invalid_token\"");
    }

    /** One stateless tools/list (revision 2026-07-28) with this bearer token. */
    private static Reply toolsList(GatewayUnderTest gateway, String token, String endpoint) {
        return gateway.bearer(token).send("POST", endpoint, StatelessMcp.request("tools/list", Map.of(), Map.of()),
                StatelessMcp.headers("tools/list", null));
    }

    private static String token(String issuerId, String audience, String scope, long lifetimeSeconds)
            throws Exception {
        return token(provider, issuerId, audience, scope, lifetimeSeconds);
    }

    private static String token(MockOAuth2Server server, String issuerId, String audience, String scope,
                                long lifetimeSeconds) throws Exception {
        return token(server, issuerId, audience, Map.of("scope", scope), lifetimeSeconds);
    }

    /** A token from the provider's token endpoint over HTTP (client credentials), with this audience and claims. */
    private static String token(MockOAuth2Server server, String issuerId, String audience, Map<String, Object> claims,
                                long lifetimeSeconds) throws Exception {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, "mcp-client", "JWT", List.of(audience),
                claims, lifetimeSeconds));
        String form = "grant_type=client_credentials&client_id=mcp-client&client_secret=s3cret&scope="
                + URLEncoder.encode(String.valueOf(claims.getOrDefault("scope", "openid")), StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(server.tokenEndpointUrl(issuerId).toString()))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asString();
    }
}
