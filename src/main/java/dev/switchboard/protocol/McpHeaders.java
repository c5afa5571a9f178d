package dev.switchboard.protocol;

/** The HTTP header names of MCP's HTTP transports, as clients and servers send them. */
public final class McpHeaders {

    /** The session a Streamable HTTP server assigned in its initialize response. */
    public static final String SESSION_ID = "Mcp-Session-Id";
    /** The revision a request speaks: negotiated (session revisions) or its own (stateless). */
    public static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    /** 2026-07-28: the request's method, mirrored from the body. */
    public static final String METHOD = "Mcp-Method";
    /** 2026-07-28: the request's name or URI, mirrored from the body in the form {@link McpName} writes. */
    public static final String NAME = "Mcp-Name";
    /** SSE's resumption header: the id of the last event the client received. */
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    private McpHeaders() {
    }
}
