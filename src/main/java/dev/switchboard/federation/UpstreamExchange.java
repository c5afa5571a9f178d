package dev.switchboard.federation;

import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one request to an upstream hears besides its result: the upstream's notifications about it, and the
 * requests the upstream sends to the client while it runs.
 */
public interface UpstreamExchange {

    /** For requests nobody listens to (discovery, health checks): notifications dropped, client requests refused. */
    UpstreamExchange NONE = new UpstreamExchange() {
    };

    /**
     * A notification the upstream sent about this request, whole: {@code notifications/progress} (carrying the
     * caller's own progress token again) or {@code notifications/message}, for example.
     */
    default void notification(ObjectNode notification) {
    }

    /**
     * The least severe log level the caller wants to hear of, or null for none: sent with the request to upstreams
     * whose revision carries the level on each request rather than in logging/setLevel.
     */
    default String logLevel() {
        return null;
    }

    /**
     * A request the upstream sent to the client while this request ran ({@code sampling/createMessage},
     * {@code elicitation/create}, {@code roots/list}): returns the client's result, unchanged.
     *
     * @throws JsonRpcException with the error to send back to the upstream
     */
    default JsonNode clientRequest(String method, ObjectNode params) {
        throw new JsonRpcException(JsonRpc.METHOD_NOT_FOUND,
                "Method not found: the client cannot answer " + method + " here");
    }
}
