package dev.switchboard.mcp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may reach the MCP endpoints (DNS-rebinding protection), as operators name it: SWITCHBOARD_ALLOWED_ORIGINS,
 * SWITCHBOARD_ALLOW_LOOPBACK_ORIGINS and SWITCHBOARD_ALLOWED_HOSTS. How often changes are announced is the catalog's
 * setting ({@link dev.switchboard.catalog.CatalogSettings}).
 *
 * @param allowedOrigins        Web pages that may call the MCP endpoints besides the loopback ones and the public
 *                              URL's own, comma-separated; empty: no other browser Origin is allowed.
 * @param allowLoopbackOrigins  Whether a page served from a loopback host (localhost, 127.0.0.1, [::1], any port)
 *                              may call the MCP endpoints, as the official SDKs allow; false refuses them unless
 *                              listed.
 * @param allowedHosts          The host names the MCP endpoints answer to, comma-separated; empty: any Host.
 */
@ConfigurationProperties("switchboard")
public record McpSettings(@DefaultValue("") String allowedOrigins, @DefaultValue("true") boolean allowLoopbackOrigins,
                          @DefaultValue("") String allowedHosts) {
}
