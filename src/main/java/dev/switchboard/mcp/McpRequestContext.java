package dev.switchboard.mcp;

/**
 * What a method handler needs to know about the request besides its params: the revision it speaks and the
 * least severe log level the client wants. A session carries both for all its requests; in the stateless
 * revision each request carries its own in {@code _meta}.
 */
interface McpRequestContext {

    String protocolVersion();

    /** The least severe level the client asked for, or null when it asked for no log messages. */
    String logLevel();
}
