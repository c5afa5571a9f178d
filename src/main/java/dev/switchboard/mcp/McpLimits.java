package dev.switchboard.mcp;

import dev.switchboard.settings.Bounds;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much MCP state one replica keeps in memory for its clients, so that no caller can fill it.
 *
 * @param maxSessions           Open MCP sessions (Streamable HTTP and legacy SSE) one replica keeps; beyond it the
 *                              least recently used one is ended, idle ones first.
 * @param maxSessionsPerCaller  Open MCP sessions one identity may have, across replicas; beyond it that identity's
 *                              least recently used one is ended, idle ones first.
 * @param sessionIdleTimeout    How long a session with no stream open may go unused before it is forgotten.
 * @param maxInputRounds        Calls of 2026-07-28 clients parked on one replica while they wait for the client's
 *                              input (input_required); beyond it the call fails, naming this setting.
 */
@ConfigurationProperties("switchboard.mcp")
public record McpLimits(@DefaultValue("10000") int maxSessions, @DefaultValue("100") int maxSessionsPerCaller,
        @DefaultValue("PT1H") Duration sessionIdleTimeout, @DefaultValue("1000") int maxInputRounds) {

    public McpLimits {
        Bounds.whole("SWITCHBOARD_MCP_MAX_SESSIONS", maxSessions, 1, 10_000_000);
        Bounds.whole("SWITCHBOARD_MCP_MAX_SESSIONS_PER_CALLER", maxSessionsPerCaller, 1, maxSessions);
        Bounds.duration("SWITCHBOARD_MCP_SESSION_IDLE_TIMEOUT", sessionIdleTimeout, Duration.ofSeconds(1),
                Duration.ofDays(1));
        Bounds.whole("SWITCHBOARD_MCP_MAX_INPUT_ROUNDS", maxInputRounds, 1, 10_000_000);
    }
}
