package dev.switchboard.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import tools.jackson.databind.JsonNode;

/**
 * A local user signs in to the built-in authorization server with their password, on every engine: their access
 * token names them and works at the gateway, and once they are disabled their refresh is refused, their token stops
 * working and they cannot sign in.
 */
class LocalUserSignInTest {

    @AfterAll
    static void stop() {
        BuiltInAuthorizationServerTest.stop();
    }

    @EngineTest
    void aLocalUserSignsInAndGetsOnlyTheirRights(TestEngine engine) throws Exception {
        TestGateway gateway = BuiltInAuthorizationServerTest.gateway(engine);
        String admin = TestGateway.basic("admin", BuiltInAuthorizationServerTest.PASSWORD);
        String username = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "carols-own-password";
        HttpResponse<String> created = gateway.send("POST", "/v1/users", OAuthFlow.JSON.writeValueAsString(
                Map.of("username", username, "password", password)), "Authorization", admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = OAuthFlow.JSON.readTree(created.body()).get("id").asString();

        OAuthFlow flow = new OAuthFlow(gateway.port());
        OAuthFlow.Client client = flow.register(BuiltInAuthorizationServerTest.REDIRECT, "client_secret_basic");
        OAuthFlow.Pkce pkce = OAuthFlow.Pkce.create();
        Map<String, String> callback = flow.authorize(OAuthFlow.authorizeQuery(
                BuiltInAuthorizationServerTest.authorizeParameters(client, pkce, null)), username, password);
        HttpResponse<String> exchanged = flow.exchange(client, callback.get("code"), pkce.verifier());
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        JsonNode tokens = OAuthFlow.JSON.readTree(exchanged.body());
        String access = tokens.get("access_token").asString();
        SignedJWT jwt = BuiltInAuthorizationServerTest.verified(flow, access);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(username);
        assertThat(List.of(jwt.getJWTClaimsSet().getStringClaim("scope").split(" "))).contains("mcp:use");

        // Authenticated (403 for a scope the token lacks, not 401) until the user is disabled.
        String bearer = TestGateway.bearer(access);
        assertThat(gateway.get("/v1/tools", "Authorization", bearer).statusCode()).isEqualTo(403);
        JsonNode listed = OAuthFlow.JSON.readTree(gateway.get("/v1/users/" + id, "Authorization", admin).body());
        assertThat(listed.get("lastSignInAt").isNull()).isFalse();

        HttpResponse<String> disabled = gateway.send("PATCH", "/v1/users/" + id,
                "{\"enabled\":false}", "Authorization", admin);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(gateway.get("/v1/tools", "Authorization", bearer).statusCode()).isEqualTo(401);
        HttpResponse<String> refreshed = flow.refresh(client, tokens.get("refresh_token").asString());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(400);
        assertThat(refreshed.body()).contains("invalid_grant");
        // Nor can they sign in again: the form keeps coming back.
        OAuthFlow again = new OAuthFlow(gateway.port());
        assertThatThrownBy(() -> again.authorize(OAuthFlow.authorizeQuery(BuiltInAuthorizationServerTest
                .authorizeParameters(client, OAuthFlow.Pkce.create(), null)), username, password))
                .hasMessageContaining("too many steps");
    }
}
