package dev.switchboard.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import tools.jackson.databind.JsonNode;

/**
 * The built-in authorization server end to end, on every engine: an MCP client's discovery, dynamic registration,
 * the authorization request with PKCE and a resource, login and consent through the real forms, the code exchange,
 * refresh with rotation and revocation; the refusals; and what survives a restart or crosses to a second gateway on
 * the same database.
 */
class BuiltInAuthorizationServerTest {

    static final String PASSWORD = "auth-server-test-password";
    static final String REDIRECT = "http://127.0.0.1:1/callback";
    private static final Map<Engine, TestGateway> gateways = new ConcurrentHashMap<>();

    static synchronized TestGateway gateway(TestEngine engine) {
        return gateways.computeIfAbsent(engine.engine(), e -> TestGateway.start(Map.of(
                "DATABASE_URL", engine.newDatabaseUrl(),
                "ADMIN_PASSWORD", PASSWORD,
                "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "1000")));
    }

    @AfterAll
    static synchronized void stop() {
        gateways.values().forEach(TestGateway::close);
        gateways.clear();
    }

    static String base(TestGateway gateway) {
        return "http://127.0.0.1:" + gateway.port();
    }

    static Map<String, String> authorizeParameters(OAuthFlow.Client client, OAuthFlow.Pkce pkce, String resource) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", client.clientId());
        parameters.put("redirect_uri", client.redirectUri());
        parameters.put("scope", "mcp:use offline_access");
        parameters.put("state", "state-123");
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        if (resource != null) {
            parameters.put("resource", resource);
        }
        return parameters;
    }

    @EngineTest
    void aClientRegistersSignsInAndGetsTokensForTheResource(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        OAuthFlow flow = new OAuthFlow(gateway.port());
        String base = base(gateway);

        JsonNode metadata = OAuthFlow.JSON.readTree(flow.get("/.well-known/oauth-authorization-server").body());
        assertThat(metadata.get("issuer").asString()).isEqualTo(base);
        assertThat(metadata.get("registration_endpoint").asString()).isEqualTo(base + "/oauth2/register");
        assertThat(metadata.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        assertThat(metadata.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(metadata.get("revocation_endpoint").asString()).isEqualTo(base + "/oauth2/revoke");
        JsonNode oidc = OAuthFlow.JSON.readTree(flow.get("/.well-known/openid-configuration").body());
        assertThat(oidc.get("issuer").asString()).isEqualTo(base);

        OAuthFlow.Client client = flow.register(REDIRECT, "client_secret_basic");
        OAuthFlow.Pkce pkce = OAuthFlow.Pkce.create();
        String resource = base + "/servers/tools/mcp";
        Map<String, String> callback = flow.authorize(
                OAuthFlow.authorizeQuery(authorizeParameters(client, pkce, resource)), "admin", PASSWORD);
        assertThat(callback).containsEntry("state", "state-123").containsEntry("iss", base).containsKey("code");

        HttpResponse<String> exchanged = flow.exchange(client, callback.get("code"), pkce.verifier());
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        JsonNode tokens = OAuthFlow.JSON.readTree(exchanged.body());
        SignedJWT access = verified(flow, tokens.get("access_token").asString());
        assertThat(access.getJWTClaimsSet().getIssuer()).isEqualTo(base);
        assertThat(access.getJWTClaimsSet().getAudience()).containsExactly(resource);
        assertThat(access.getJWTClaimsSet().getSubject()).isEqualTo("admin");
        assertThat(access.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(client.clientId());
        assertThat(access.getJWTClaimsSet().getStringClaim("scope").split(" ")).contains("mcp:use");

        // A replayed code is refused, and the tokens issued with it are revoked (OAuth 2.1).
        HttpResponse<String> replay = flow.exchange(client, callback.get("code"), pkce.verifier());
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("invalid_grant");
        HttpResponse<String> afterReplay = flow.refresh(client, tokens.get("refresh_token").asString());
        assertThat(afterReplay.statusCode()).isEqualTo(400);

        // A new grant (consent is remembered: no consent page this time) refreshes with rotation.
        OAuthFlow.Pkce second = OAuthFlow.Pkce.create();
        Map<String, String> again = flow.authorize(
                OAuthFlow.authorizeQuery(authorizeParameters(client, second, null)), "admin", PASSWORD);
        JsonNode fresh = OAuthFlow.JSON.readTree(flow.exchange(client, again.get("code"), second.verifier()).body());
        assertThat(verified(flow, fresh.get("access_token").asString()).getJWTClaimsSet().getAudience())
                .containsExactly(base);
        String refreshToken = fresh.get("refresh_token").asString();
        HttpResponse<String> refreshed = flow.refresh(client, refreshToken);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode rotated = OAuthFlow.JSON.readTree(refreshed.body());
        assertThat(rotated.get("refresh_token").asString()).isNotEqualTo(refreshToken);
        verified(flow, rotated.get("access_token").asString());
        assertThat(flow.refresh(client, refreshToken).statusCode()).as("the used refresh token").isEqualTo(400);

        // Revocation (RFC 7009), then the refresh token is refused.
        String latest = rotated.get("refresh_token").asString();
        assertThat(flow.revoke(client, latest).statusCode()).isEqualTo(200);
        HttpResponse<String> revoked = flow.refresh(client, latest);
        assertThat(revoked.statusCode()).isEqualTo(400);
        assertThat(revoked.body()).contains("invalid_grant");
    }

    @EngineTest
    void aPublicClientExchangesItsCodeWithPkce(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        OAuthFlow flow = new OAuthFlow(gateway.port());
        OAuthFlow.Client client = flow.register("http://localhost:7777/callback", "none");
        assertThat(client.secret()).isNull();
        OAuthFlow.Pkce pkce = OAuthFlow.Pkce.create();
        Map<String, String> callback = flow.authorize(
                OAuthFlow.authorizeQuery(authorizeParameters(client, pkce, base(gateway) + "/mcp")), "admin",
                PASSWORD);
        HttpResponse<String> wrong = flow.exchange(client, callback.get("code"), OAuthFlow.Pkce.create().verifier());
        assertThat(wrong.statusCode()).as("a wrong verifier").isEqualTo(400);
        assertThat(wrong.body()).contains("invalid_grant");
        HttpResponse<String> right = flow.exchange(client, callback.get("code"), pkce.verifier());
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        JsonNode tokens = OAuthFlow.JSON.readTree(right.body());
        verified(flow, tokens.get("access_token").asString());

        // Public clients (most MCP clients) refresh too, by client_id alone, with rotation and revocation.
        String refreshToken = tokens.get("refresh_token").asString();
        HttpResponse<String> refreshed = flow.refresh(client, refreshToken);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode rotated = OAuthFlow.JSON.readTree(refreshed.body());
        assertThat(rotated.get("refresh_token").asString()).isNotEqualTo(refreshToken);
        assertThat(verified(flow, rotated.get("access_token").asString()).getJWTClaimsSet().getAudience())
                .containsExactly(base(gateway) + "/mcp");
        assertThat(flow.refresh(client, refreshToken).statusCode()).as("the used refresh token").isEqualTo(400);
        OAuthFlow.Client other = flow.register("http://localhost:7777/callback", "none");
        HttpResponse<String> stolen = flow.refresh(other, rotated.get("refresh_token").asString());
        assertThat(stolen.statusCode()).as("another client's refresh token").isEqualTo(400);
        assertThat(stolen.body()).contains("invalid_grant");
        OAuthFlow.Client confidential = flow.register(REDIRECT, "client_secret_basic");
        HttpResponse<String> posing = flow.refresh(new OAuthFlow.Client(confidential.clientId(), null, REDIRECT),
                rotated.get("refresh_token").asString());
        assertThat(posing.statusCode()).as("a confidential client without its secret").isEqualTo(401);
        assertThat(flow.revoke(client, rotated.get("refresh_token").asString()).statusCode()).isEqualTo(200);
        assertThat(flow.refresh(client, rotated.get("refresh_token").asString()).statusCode()).isEqualTo(400);
    }

    /**
     * Two replicas that read one code at the same moment (here two reads through the store, as two gateways would)
     * cannot both redeem it: the second save finds the row changed and fails with invalid_grant, and only the
     * first one's tokens exist.
     */
    @EngineTest
    void aCodeReadTwiceAtOnceIsRedeemedOnlyOnce(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        OAuthFlow flow = new OAuthFlow(gateway.port());
        OAuthFlow.Client client = flow.register(REDIRECT, "client_secret_basic");
        Map<String, String> callback = flow.authorize(OAuthFlow.authorizeQuery(
                authorizeParameters(client, OAuthFlow.Pkce.create(), null)), "admin", PASSWORD);
        AuthorizationStore store = gateway.bean(AuthorizationStore.class);
        OAuth2TokenType codeType = new OAuth2TokenType(OAuth2ParameterNames.CODE);
        OAuth2Authorization first = store.findByToken(callback.get("code"), codeType);
        OAuth2Authorization second = store.findByToken(callback.get("code"), codeType);
        String winner = "winner-" + UUID.randomUUID();
        String loser = "loser-" + UUID.randomUUID();

        store.save(redeemed(first, winner));
        assertThatThrownBy(() -> store.save(redeemed(second, loser)))
                .isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_grant"));
        assertThat(store.findByToken(winner + "-access", OAuth2TokenType.ACCESS_TOKEN)).isNotNull();
        assertThat(store.findByToken(loser + "-access", OAuth2TokenType.ACCESS_TOKEN)).isNull();
        assertThat(store.findByToken(loser + "-refresh", OAuth2TokenType.REFRESH_TOKEN)).isNull();
        // Saving the winner's state again (as a replay's revocation does) still works.
        store.save(OAuth2Authorization.from(store.findByToken(winner + "-access", OAuth2TokenType.ACCESS_TOKEN))
                .invalidate(new OAuth2RefreshToken(winner + "-refresh", Instant.now())).build());
    }

    /** The authorization as the token endpoint saves it after a code exchange: code spent, tokens issued. */
    private static OAuth2Authorization redeemed(OAuth2Authorization read, String tokens) {
        Instant now = Instant.now();
        OAuth2Authorization.Builder builder = OAuth2Authorization.from(read)
                .token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, tokens + "-access", now,
                        now.plusSeconds(600), Set.of("mcp:use")))
                .refreshToken(new OAuth2RefreshToken(tokens + "-refresh", now, now.plusSeconds(3600)));
        return builder.invalidate(read.getToken(OAuth2AuthorizationCode.class).getToken()).build();
    }

    @EngineTest
    void badAuthorizationRequestsAreRefused(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        OAuthFlow flow = new OAuthFlow(gateway.port());
        OAuthFlow.Client client = flow.register(REDIRECT, "client_secret_basic");
        OAuthFlow.Pkce pkce = OAuthFlow.Pkce.create();
        // Sign in once, so that the refusals below are the authorization endpoint's own.
        flow.authorize(OAuthFlow.authorizeQuery(authorizeParameters(client, pkce, null)), "admin", PASSWORD);

        Map<String, String> unregistered = authorizeParameters(client, pkce, null);
        unregistered.put("redirect_uri", "https://attacker.example/callback");
        HttpResponse<String> refused = flow.get(OAuthFlow.authorizeQuery(unregistered));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Location")).as("never redirected to it").isEmpty();
        assertThat(refused.body()).contains("invalid_request");

        Map<String, String> plain = authorizeParameters(client, pkce, null);
        plain.put("code_challenge_method", "plain");
        plain.put("code_challenge", pkce.verifier());
        assertThat(errorOf(flow.get(OAuthFlow.authorizeQuery(plain)))).containsEntry("error", "invalid_request");

        Map<String, String> noState = authorizeParameters(client, pkce, null);
        noState.remove("state");
        assertThat(errorOf(flow.get(OAuthFlow.authorizeQuery(noState)))).containsEntry("error", "invalid_request");

        Map<String, String> noPkce = authorizeParameters(client, pkce, null);
        noPkce.remove("code_challenge");
        noPkce.remove("code_challenge_method");
        assertThat(errorOf(flow.get(OAuthFlow.authorizeQuery(noPkce)))).containsEntry("error", "invalid_request");

        Map<String, String> elsewhere = authorizeParameters(client, pkce, "https://other.example/mcp");
        Map<String, String> target = errorOf(flow.get(OAuthFlow.authorizeQuery(elsewhere)));
        assertThat(target).containsEntry("error", "invalid_target").containsEntry("state", "state-123")
                .containsEntry("iss", base(gateway));
    }

    @EngineTest
    void registrationIsBoundedAndRefusesInsecureRedirects(TestEngine engine) throws Exception {
        TestGateway gateway = gateway(engine);
        OAuthFlow flow = new OAuthFlow(gateway.port());
        HttpResponse<String> http = flow.postJson("/oauth2/register",
                "{\"redirect_uris\":[\"http://client.example/callback\"]}");
        assertThat(http.statusCode()).isEqualTo(400);
        assertThat(http.body()).contains("invalid_redirect_uri");
        HttpResponse<String> custom = flow.postJson("/oauth2/register",
                "{\"redirect_uris\":[\"https://client.example/cb#fragment\"]}");
        assertThat(custom.body()).contains("invalid_redirect_uri");
        HttpResponse<String> notJson = flow.postJson("/oauth2/register", "{");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("invalid_client_metadata");
        HttpResponse<String> huge = flow.postJson("/oauth2/register",
                "{\"client_name\":\"" + "x".repeat(ClientRegistrationEndpoint.MAX_BODY_BYTES) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("invalid_client_metadata");
        HttpResponse<String> scope = flow.postJson("/oauth2/register",
                "{\"redirect_uris\":[\"https://client.example/cb\"],\"scope\":\"admin\"}");
        assertThat(scope.body()).contains("invalid_client_metadata");
        HttpResponse<String> ok = flow.postJson("/oauth2/register",
                "{\"redirect_uris\":[\"https://client.example/cb\",\"http://[::1]:9/cb\"],"
                        + "\"token_endpoint_auth_method\":\"client_secret_post\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    }

    /** The error a refused authorization request was redirected with. */
    private static Map<String, String> errorOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(REDIRECT);
        return OAuthFlow.query(location);
    }

    /** The token, once its signature checks against the gateway's JWKS. */
    static SignedJWT verified(OAuthFlow flow, String token) throws Exception {
        JWKSet keys = JWKSet.parse(flow.get("/oauth2/jwks").body());
        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token's key is published").isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getState()).isEqualTo(JWSObject.State.VERIFIED);
        return jwt;
    }

}
