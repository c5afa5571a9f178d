package dev.switchboard.catalog;

/** How Switchboard reaches an upstream MCP server. */
public enum Transport {
    STREAMABLE_HTTP, SSE, STDIO
}
