package dev.switchboard.protocol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC error, in either direction: one the gateway answers with (thrown by method handlers, turned into an
 * error response by the endpoint), or one a peer sent (an upstream's error response, a client's error answer to a
 * request relayed to it), whose error object is kept whole so that it can be passed on unchanged.
 */
public final class JsonRpcException extends RuntimeException {

    private final int code;
    private final transient JsonNode data;
    /** The error object as a peer sent it; null for an error raised here. */
    private final transient JsonNode received;

    public JsonRpcException(int code, String message) {
        this(code, message, null);
    }

    public JsonRpcException(int code, String message, JsonNode data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
        this.received = null;
    }

    private JsonRpcException(JsonNode error) {
        super(error.path("message").asString("error without a message"), null, false, false);
        this.code = error.path("code").asInt(JsonRpc.INTERNAL_ERROR);
        this.data = error.get("data");
        this.received = error;
    }

    /** The error object {@code error} that a peer sent, kept as it is. */
    public static JsonRpcException received(JsonNode error) {
        return new JsonRpcException(error);
    }

    public static JsonRpcException invalidParams(String message) {
        return new JsonRpcException(JsonRpc.INVALID_PARAMS, message);
    }

    public int code() {
        return code;
    }

    public JsonNode data() {
        return data;
    }

    /** The error object: as the peer sent it, or made of code, message and (when there is some) data. */
    public JsonNode error() {
        if (received != null) {
            return received;
        }
        ObjectNode error = JsonRpc.object().put("code", code).put("message", getMessage());
        if (data != null) {
            error.set("data", data);
        }
        return error;
    }
}
