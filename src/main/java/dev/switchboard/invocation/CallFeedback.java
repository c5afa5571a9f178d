package dev.switchboard.invocation;

import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client's side of a running call: where the call reports while it runs, and how it reaches the client.
 * REST tools report that the call started and ended; federated calls relay what the upstream sends, and the
 * upstream's requests to the client.
 */
public interface CallFeedback {

    /** For callers that asked for nothing and can be asked nothing. */
    CallFeedback NONE = (progress, total, message) -> { };

    /** Progress so far: rises with every report; {@code total} and {@code message} may be null. */
    void progress(double progress, Double total, String message);

    /**
     * A notification from an upstream about this call, relayed to the client unchanged: progress (with the
     * client's own token) or a log message. Dropped where the client cannot hear it.
     */
    default void relay(ObjectNode notification) {
    }

    /**
     * Sends a request to the client ({@code sampling/createMessage}, {@code elicitation/create}, {@code roots/list})
     * and waits for its result, unchanged.
     *
     * @throws JsonRpcException with the error to pass back when the client refuses, fails or cannot be asked
     */
    default JsonNode ask(String method, ObjectNode params) {
        throw new JsonRpcException(JsonRpc.METHOD_NOT_FOUND,
                "Method not found: the client cannot be asked " + method + " on this call");
    }

    /**
     * The least severe log level the client wants to hear from this call, or null when it wants no log messages.
     * Upstreams that take the level with each request are sent it, since they send no log messages without one.
     */
    default String logLevel() {
        return null;
    }

    /**
     * Whether the client speaks multi round-trip requests (2026-07-28): an upstream's {@code input_required}
     * result then goes to it unchanged instead of being turned into requests the gateway asks the client.
     */
    default boolean takesInputRequired() {
        return false;
    }
}
