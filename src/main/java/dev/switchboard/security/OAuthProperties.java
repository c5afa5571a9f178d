package dev.switchboard.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The external authorization server the gateway trusts for MCP clients, as operators set it (SWITCHBOARD_OAUTH_*);
 * {@link AuthorizationServers} checks and holds it. docs/authorization.md gives values for real providers.
 *
 * @param issuer   The provider's issuer URL; its metadata and JWKS are fetched from it. Unset: no external provider.
 * @param audience Extra accepted audiences, comma-separated, for providers that cannot put the endpoint's URI in
 *                 {@code aud} (Microsoft Entra ID: the API's client id or App ID URI).
 * @param scope    The scope clients ask the provider for, which grants MCP access; a URI-shaped scope
 *                 (api://app/mcp.use) is also accepted as its last segment, as Entra ID writes it in {@code scp}.
 */
@ConfigurationProperties("switchboard.oauth")
public record OAuthProperties(String issuer, @DefaultValue("") String audience,
                              @DefaultValue("mcp:use") String scope) {
}
