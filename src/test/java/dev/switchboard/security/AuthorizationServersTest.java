package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.settings.InvalidSettingException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SWITCHBOARD_OAUTH_* settings as start-up checks them, and the MCP endpoints as OAuth resources. */
class AuthorizationServersTest {

    private static final URI BASE = URI.create("https://gw.example.com");

    @Test
    void badSettingsStopStartUpNamingTheVariable() {
        assertThatThrownBy(() -> new AuthorizationServers(true, new OAuthProperties("idp.example.com", "", "mcp:use")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("SWITCHBOARD_OAUTH_ISSUER");
        assertThatThrownBy(() -> new AuthorizationServers(true, new OAuthProperties("https://idp.example?x=1", "",
                "mcp:use"))).hasMessageContaining("SWITCHBOARD_OAUTH_ISSUER");
        assertThatThrownBy(() -> new AuthorizationServers(true, new OAuthProperties(null, "api://x", "mcp:use")))
                .hasMessageContaining("SWITCHBOARD_OAUTH_AUDIENCE");
        assertThatThrownBy(() -> new AuthorizationServers(true, new OAuthProperties("https://idp.example", "",
                "mcp use"))).hasMessageContaining("SWITCHBOARD_OAUTH_SCOPE");
    }

    @Test
    void issuersAndScopesFollowTheSettings() {
        AuthorizationServers builtInOnly = new AuthorizationServers(true, new OAuthProperties(null, "", "mcp:use"));
        assertThat(builtInOnly.issuersFor(BASE)).containsExactly("https://gw.example.com");
        assertThat(builtInOnly.scopesSupported(BASE + "/mcp")).containsExactly("mcp:use");

        AuthorizationServers entra = new AuthorizationServers(false, new OAuthProperties(
                "https://login.microsoftonline.com/t/v2.0", " 1234, api://sb ", "{resource}/mcp.use"));
        assertThat(entra.issuersFor(BASE)).containsExactly("https://login.microsoftonline.com/t/v2.0");
        assertThat(entra.challengeScope(BASE + "/mcp")).isEqualTo("https://gw.example.com/mcp/mcp.use");
        assertThat(entra.extraAudiences()).containsExactly("1234", "api://sb");
        assertThat(entra.grantsMcp("mcp.use")).isTrue();
        assertThat(entra.grantsMcp("{resource}/mcp.use")).isFalse();
        assertThat(entra.grantsMcp("User.Read")).isFalse();

        AuthorizationServers both = new AuthorizationServers(true, new OAuthProperties("https://kc.example/realms/a",
                "", "mcp:use"));
        assertThat(both.issuersFor(BASE)).containsExactly("https://gw.example.com", "https://kc.example/realms/a");
        assertThat(both.issuersFor(null)).containsExactly("https://kc.example/realms/a");
    }

    @Test
    void theMetadataOfAnIssuerWithAPathIsLookedForWhereBothStandardsPutIt() {
        ExternalIssuer keycloak = new ExternalIssuer(URI.create("https://kc.example/realms/mcp"), java.time.Clock.systemUTC());
        assertThat(keycloak.metadataUrls()).containsExactly(
                URI.create("https://kc.example/.well-known/oauth-authorization-server/realms/mcp"),
                URI.create("https://kc.example/realms/mcp/.well-known/openid-configuration"));
        ExternalIssuer auth0 = new ExternalIssuer(URI.create("https://tenant.auth0.com/"), java.time.Clock.systemUTC());
        assertThat(auth0.metadataUrls()).containsExactly(
                URI.create("https://tenant.auth0.com/.well-known/oauth-authorization-server"),
                URI.create("https://tenant.auth0.com/.well-known/openid-configuration"));
    }

    @Test
    void mcpPathsMapToTheirEndpoint() {
        assertThat(McpResources.of("/mcp")).contains("/mcp");
        assertThat(McpResources.of("/servers/abc/mcp")).contains("/servers/abc/mcp");
        assertThat(McpResources.of("/messages")).contains("/sse");
        assertThat(McpResources.of("/servers/abc/messages")).contains("/servers/abc/sse");
        for (String other : List.of("/v1/servers", "/servers/abc", "/servers/a/b/mcp", "/mcp/x", "/health")) {
            assertThat(McpResources.of(other)).as(other).isEmpty();
        }
    }
}
