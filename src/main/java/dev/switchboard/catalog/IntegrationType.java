package dev.switchboard.catalog;

/** Where a tool runs: a REST endpoint that Switchboard calls itself, or an upstream MCP server. */
public enum IntegrationType {
    REST, MCP
}
