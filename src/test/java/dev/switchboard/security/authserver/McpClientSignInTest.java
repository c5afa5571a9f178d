package dev.switchboard.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.LoopbackHttps;
import dev.switchboard.testing.RecordingFilter;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.UpstreamServers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What an MCP client does from nothing, against the built-in authorization server, on every engine: a request
 * without a token, the 401's resource_metadata, the metadata's authorization server, registration, the
 * authorization request with PKCE and the endpoint as its resource, login and consent through the forms, the code
 * exchange; then the official MCP Java SDK client calls a tool of the virtual server with the token, and the same
 * token is refused at another endpoint.
 */
class McpClientSignInTest {

    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]+)\"");

    @EngineTest
    void aClientDiscoversTheServerFromThe401SignsInAndCallsATool(TestEngine engine) throws Exception {
        try (UpstreamServers.Http upstream = UpstreamServers.streamable(new RecordingFilter());
             GatewayUnderTest gateway = GatewayUnderTest.start(engine.newDatabaseUrl(), Map.of(
                     "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "1000"))) {
            String base = gateway.baseUrl();
            String slug = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            Reply registered = gateway.admin().post("/v1/gateways", Map.of("name", slug, "slug", slug,
                    "url", upstream.url()));
            assertThat(registered.status()).as(registered.text()).isEqualTo(201);
            String server = gateway.admin().post("/v1/servers", Map.of("name", "signed-in-" + slug)).id();
            String tool = gateway.admin().get("/v1/tools?limit=500").json().get("items").valueStream()
                    .filter(t -> t.get("name").asString().equals(slug + ".text")).findFirst().orElseThrow()
                    .get("id").asString();
            assertThat(gateway.admin().put("/v1/servers/" + server + "/tools", Map.of("ids", List.of(tool)), null)
                    .status()).isBetween(200, 204);
            String endpoint = "/servers/" + server + "/mcp";

            // 1. No token: a 401 whose challenge names the endpoint's metadata and the scope to ask for.
            Reply challenged = gateway.anonymous().send("POST", endpoint,
                    StatelessMcp.request("tools/list", Map.of(), Map.of()), StatelessMcp.headers("tools/list", null));
            assertThat(challenged.status()).isEqualTo(401);
            String challenge = challenged.header("WWW-Authenticate");
            assertThat(challenge).contains("scope=\"mcp:use\"");
            Matcher metadataUrl = RESOURCE_METADATA.matcher(challenge);
            assertThat(metadataUrl.find()).as(challenge).isTrue();

            // 2. The protected resource metadata names the resource and the built-in authorization server.
            OAuthFlow flow = new OAuthFlow(URI.create(base).getPort());
            JsonNode resourceMetadata = OAuthFlow.JSON.readTree(flow.get(metadataUrl.group(1)).body());
            String resource = resourceMetadata.get("resource").asString();
            assertThat(resource).isEqualTo(base + endpoint);
            String issuer = resourceMetadata.get("authorization_servers").get(0).asString();
            assertThat(issuer).isEqualTo(base);

            // 3. The authorization server's metadata, registration, and the browser part through the real forms.
            JsonNode serverMetadata = OAuthFlow.JSON.readTree(
                    flow.get(issuer + "/.well-known/oauth-authorization-server").body());
            assertThat(serverMetadata.get("registration_endpoint").asString()).isEqualTo(base + "/oauth2/register");
            OAuthFlow.Client client = flow.register("http://127.0.0.1:9/callback", "none");
            OAuthFlow.Pkce pkce = OAuthFlow.Pkce.create();
            Map<String, String> callback = flow.authorize(OAuthFlow.authorizeQuery(
                    BuiltInAuthorizationServerTest.authorizeParameters(client, pkce, resource)),
                    GatewayUnderTest.ADMIN, gateway.adminPassword());
            assertThat(callback).containsEntry("iss", issuer).containsKey("code");
            JsonNode tokens = OAuthFlow.JSON.readTree(flow.exchange(client, callback.get("code"), pkce.verifier())
                    .body());
            String accessToken = tokens.get("access_token").asString();

            // 4. The official SDK client, with the token, lists and calls the virtual server's tool.
            try (McpSyncClient mcp = McpClient.sync(HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint)
                    .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + accessToken))
                    .build()).requestTimeout(Duration.ofSeconds(20)).build()) {
                mcp.initialize();
                List<McpSchema.Tool> listed = mcp.listTools().tools();
                assertThat(listed).hasSize(1);
                McpSchema.CallToolResult called = mcp.callTool(McpSchema.CallToolRequest.builder()
                        .name(listed.getFirst().name()).arguments(Map.of("name", "Ada")).build());
                assertThat(((McpSchema.TextContent) called.content().getFirst()).text()).isEqualTo("hello Ada");
            }

            // 5. The token was minted for this endpoint: the whole catalog refuses it, with the challenge to start over.
            Reply elsewhere = gateway.bearer(accessToken).send("POST", "/mcp",
                    StatelessMcp.request("tools/list", Map.of(), Map.of()), StatelessMcp.headers("tools/list", null));
            assertThat(elsewhere.status()).isEqualTo(401);
            assertThat(elsewhere.header("WWW-Authenticate")).contains("error=\"invalid_token\"")
                    .contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
        }
    }

    /**
     * A client that registers by Client ID Metadata Document: its client_id is the https URL of its metadata, served
     * here by a real HTTPS server on loopback (allowed and trusted by the two settings a test needs); the
     * gateway fetches it, and the whole flow runs with that client_id, refresh included.
     */
    @EngineTest
    void aClientIdentifiedByItsMetadataDocumentSignsInAndGetsTokens(TestEngine engine) throws Exception {
        try (LoopbackHttps documents = LoopbackHttps.start()) {
            String clientId = documents.url("/agent/client.json");
            String redirect = "http://127.0.0.1:9/callback";
            documents.handle("/agent/client.json", exchange -> {
                byte[] body = OAuthFlow.JSON.writeValueAsBytes(Map.of("client_id", clientId,
                        "client_name", "Metadata Agent", "redirect_uris", List.of(redirect),
                        "grant_types", List.of("authorization_code", "refresh_token"),
                        "response_types", List.of("code"), "token_endpoint_auth_method", "none"));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            try (GatewayUnderTest gateway = GatewayUnderTest.start(engine.newDatabaseUrl(), Map.of(
                    "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "1000",
                    "SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_ALLOW_PRIVATE", "true",
                    "SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_TRUST_CERTIFICATES",
                    documents.certificate().toString()))) {
                String base = gateway.baseUrl();
                OAuthFlow flow = new OAuthFlow(URI.create(base).getPort());
                JsonNode metadata = OAuthFlow.JSON.readTree(
                        flow.get("/.well-known/oauth-authorization-server").body());
                assertThat(metadata.get("client_id_metadata_document_supported").asBoolean()).isTrue();

                OAuthFlow.Client client = new OAuthFlow.Client(clientId, null, redirect);
                OAuthFlow.Pkce pkce = OAuthFlow.Pkce.create();
                Map<String, String> callback = flow.authorize(OAuthFlow.authorizeQuery(
                        BuiltInAuthorizationServerTest.authorizeParameters(client, pkce, base + "/mcp")),
                        GatewayUnderTest.ADMIN, gateway.adminPassword());
                assertThat(callback).containsEntry("iss", base).containsKey("code");
                var exchanged = flow.exchange(client, callback.get("code"), pkce.verifier());
                assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
                JsonNode tokens = OAuthFlow.JSON.readTree(exchanged.body());
                Reply listed = gateway.bearer(tokens.get("access_token").asString()).send("POST", "/mcp",
                        StatelessMcp.request("tools/list", Map.of(), Map.of()),
                        StatelessMcp.headers("tools/list", null));
                assertThat(listed.status()).as(listed.text()).isEqualTo(200);
                assertThat(flow.refresh(client, tokens.get("refresh_token").asString()).statusCode()).isEqualTo(200);

                // A redirect URI the document does not list is refused, and nobody is sent there.
                OAuthFlow.Client elsewhere = new OAuthFlow.Client(clientId, null, "http://127.0.0.1:9/other");
                var refused = flow.get(OAuthFlow.authorizeQuery(BuiltInAuthorizationServerTest.authorizeParameters(
                        elsewhere, OAuthFlow.Pkce.create(), null)));
                assertThat(refused.statusCode()).isEqualTo(400);
                assertThat(refused.headers().firstValue("Location")).isEmpty();
            }
        }
    }
}
