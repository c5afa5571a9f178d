package dev.switchboard.mcp;

import tools.jackson.databind.JsonNode;

/** A JSON-RPC error to answer: thrown by method handlers, turned into an error response by the endpoint. */
final class JsonRpcException extends RuntimeException {

    private final int code;
    private final transient JsonNode data;

    JsonRpcException(int code, String message) {
        this(code, message, null);
    }

    JsonRpcException(int code, String message, JsonNode data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    int code() {
        return code;
    }

    JsonNode data() {
        return data;
    }

    static JsonRpcException invalidParams(String message) {
        return new JsonRpcException(JsonRpc.INVALID_PARAMS, message);
    }
}
