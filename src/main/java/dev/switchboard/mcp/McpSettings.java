package dev.switchboard.mcp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may reach the MCP endpoints (DNS-rebinding protection), as operators name it: SWITCHBOARD_ALLOWED_ORIGINS and
 * SWITCHBOARD_ALLOWED_HOSTS. How often changes are announced is the catalog's setting
 * ({@link dev.switchboard.catalog.CatalogSettings}).
 *
 * @param allowedOrigins Web pages that may call the MCP endpoints, comma-separated; empty: no browser Origin is
 *                       allowed.
 * @param allowedHosts   The host names the MCP endpoints answer to, comma-separated; empty: any Host.
 */
@ConfigurationProperties("switchboard")
public record McpSettings(@DefaultValue("") String allowedOrigins, @DefaultValue("") String allowedHosts) {
}
