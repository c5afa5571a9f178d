package dev.switchboard.mcp;

/** A malformed MCP setting: startup stops with this one-line message instead of a stack trace. */
public class McpSettingsException extends RuntimeException {

    public McpSettingsException(String message) {
        super(message, null, false, false);
    }
}
