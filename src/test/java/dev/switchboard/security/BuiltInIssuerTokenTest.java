package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Reply;
import dev.switchboard.testing.StatelessMcp;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestJwts;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tokens of the built-in authorization server: verified in-process against its {@code JWKSource} bean (here a test
 * key set in that bean's place), accepted when {@code iss} is the gateway's base URL and {@code aud} names the
 * endpoint or the base; refused otherwise, with the challenge that sends the client back to the metadata.
 */
class BuiltInIssuerTokenTest {

    @EngineTest
    void aBuiltInTokenIsCheckedForIssuerAudienceAndKey(TestEngine engine) throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(engine.newDatabaseUrl(),
                Map.of("spring.main.sources", BuiltInIssuerKeys.class.getName()))) {
            String base = gateway.baseUrl();
            String a = "/servers/" + gateway.admin().post("/v1/servers", Map.of("name", "a-" + UUID.randomUUID())).id()
                    + "/mcp";
            String b = "/servers/" + gateway.admin().post("/v1/servers", Map.of("name", "b-" + UUID.randomUUID())).id()
                    + "/mcp";
            KeyPair keys = BuiltInIssuerKeys.KEYS;

            String forA = sign(keys, claims(base, base + a, "mcp:use offline_access"));
            assertThat(toolsList(gateway, forA, a).status()).isEqualTo(200);
            assertRefused(toolsList(gateway, forA, b), base, b);
            assertRefused(toolsList(gateway, forA, "/mcp"), base, "/mcp");

            String forGateway = sign(keys, claims(base, base, "mcp:use"));
            assertThat(toolsList(gateway, forGateway, a).status()).isEqualTo(200);
            assertThat(toolsList(gateway, forGateway, "/mcp").status()).isEqualTo(200);

            // Another key, another issuer (the base under another name), no expiry, expired: all refused.
            assertRefused(toolsList(gateway, sign(TestJwts.newRsaKeys(), claims(base, base, "mcp:use")), a), base, a);
            String otherName = base.replace("127.0.0.1", "localhost");
            assertRefused(toolsList(gateway, sign(keys, claims(otherName, base, "mcp:use")), a), base, a);
            assertRefused(toolsList(gateway, sign(keys, claims(base, base, "mcp:use").expirationTime(null)), a), base, a);
            assertRefused(toolsList(gateway, sign(keys, claims(base, base, "mcp:use")
                    .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5))))), a), base, a);

            // Not a token for MCP: 403 naming the scope.
            Reply lacking = toolsList(gateway, sign(keys, claims(base, base, "openid")), a);
            assertThat(lacking.status()).isEqualTo(403);
            assertThat(lacking.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_scope\"");
        }
    }

    private static void assertRefused(Reply reply, String base, String endpoint) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer resource_metadata=\"" + base
                + "/.well-known/oauth-protected-resource" + endpoint + "\", scope=\"mcp:use\", error=\"invalid_token\"");
    }

    private static JWTClaimsSet.Builder claims(String issuer, String audience, String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).audience(List.of(audience)).subject("alice")
                .claim("scope", scope).claim("client_id", "some-client").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    }

    /** Signed as Spring Authorization Server signs access tokens: RS256, with the key's id, typed JWT or at+jwt. */
    private static String sign(KeyPair keys, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(BuiltInIssuerKeys.KEY_ID)
                .type(new JOSEObjectType("at+jwt")).build(), claims.build());
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }

    private static Reply toolsList(GatewayUnderTest gateway, String token, String endpoint) {
        return gateway.bearer(token).send("POST", endpoint, StatelessMcp.request("tools/list", Map.of(), Map.of()),
                StatelessMcp.headers("tools/list", null));
    }
}
