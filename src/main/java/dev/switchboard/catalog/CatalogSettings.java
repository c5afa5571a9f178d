package dev.switchboard.catalog;

import dev.switchboard.settings.Bounds;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How fresh the catalog served to MCP clients is. Named for what operators know it by
 * (SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL), it is read here once, for the catalog cache and for the MCP change
 * notifications alike.
 *
 * @param changePollInterval How often each replica checks the catalog for changes to announce to MCP clients
 *                           (list_changed), and the longest a change made through another replica takes to be
 *                           served; 10 ms to 1 min.
 */
@ConfigurationProperties("switchboard.mcp")
public record CatalogSettings(@DefaultValue("PT1S") Duration changePollInterval) {

    public CatalogSettings {
        Bounds.duration("SWITCHBOARD_MCP_CHANGE_POLL_INTERVAL", changePollInterval, Duration.ofMillis(10),
                Duration.ofMinutes(1));
    }
}
