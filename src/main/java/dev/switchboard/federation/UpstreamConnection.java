package dev.switchboard.federation;

import dev.switchboard.protocol.JsonRpcException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A live connection to one upstream MCP server, over whichever transport it speaks, shared by every call to that
 * upstream. Messages are Jackson trees and are never re-typed: what the upstream sends is what callers get.
 */
public interface UpstreamConnection extends AutoCloseable {

    /** The revision agreed with the upstream: negotiated by initialize, or 2026-07-28 for a stateless upstream. */
    String protocolVersion();

    /**
     * What the upstream said about itself: its initialize result (capabilities, serverInfo, instructions), or its
     * server/discover result for a stateless upstream.
     */
    ObjectNode serverInfo();

    /**
     * Sends {@code method} with {@code params} (which may be null) and waits for the result, unchanged. Meanwhile the
     * upstream's notifications about this request (progress, logging) and its requests to the client (sampling,
     * elicitation, roots) go to {@code exchange}. A {@code _meta.progressToken} in {@code params} is the caller's
     * own: the connection may substitute its own token on the wire, but {@code exchange} sees the caller's again.
     *
     * <p>Interrupting the calling thread cancels the request: the upstream is told (notifications/cancelled, or the
     * HTTP exchange is aborted) and {@link UpstreamException} of kind {@code CANCELLED} is thrown.
     *
     * @throws JsonRpcException when the upstream answers with a JSON-RPC error
     * @throws UpstreamException     when it cannot be reached, does not answer in time, or breaks the protocol
     */
    JsonNode request(String method, ObjectNode params, UpstreamExchange exchange);

    /** Whether the connection can still carry requests; a closed or broken one is replaced by the pool. */
    boolean isOpen();

    /** Ends the session (DELETE, closing the stream, or stopping the process); requests in flight fail. */
    @Override
    void close();
}
