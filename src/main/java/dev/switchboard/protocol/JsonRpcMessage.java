package dev.switchboard.protocol;

import tools.jackson.databind.JsonNode;

/**
 * One JSON-RPC message as received: a request (method and id), a notification (method, no id) or a response
 * (id with result or error). Params stay the client's JSON; nothing is re-typed, and {@code body} is the whole
 * message as received (a response's result or error is read from it).
 */
public record JsonRpcMessage(Kind kind, JsonNode id, String method, JsonNode params, JsonNode body) {

    /** What a message is, which decides whether it gets an answer. */
    public enum Kind { REQUEST, NOTIFICATION, RESPONSE }

    /** The params object, or an empty one when the message has none. */
    public JsonNode paramsOrEmpty() {
        return params == null ? JsonRpc.object() : params;
    }

    /** Reads one message; anything that is not a valid JSON-RPC 2.0 message fails with "invalid request". */
    public static JsonRpcMessage of(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw invalid("a JSON-RPC message must be an object");
        }
        if (!"2.0".equals(node.path("jsonrpc").asString(null))) {
            throw invalid("a JSON-RPC message must have \"jsonrpc\": \"2.0\"");
        }
        JsonNode id = node.get("id");
        // MCP narrows JSON-RPC: an id is a string or an integer, never null.
        if (id != null && !id.isString() && !id.isIntegralNumber()) {
            throw invalid("\"id\" must be a string or an integer");
        }
        JsonNode method = node.get("method");
        if (method != null) {
            if (!method.isString() || method.asString().isEmpty()) {
                throw invalid("\"method\" must be a non-empty string");
            }
            JsonNode params = node.get("params");
            if (params != null && !params.isObject()) {
                throw invalid("\"params\" must be an object");
            }
            return new JsonRpcMessage(id == null ? Kind.NOTIFICATION : Kind.REQUEST, id, method.asString(), params,
                    node);
        }
        if (id != null && (node.has("result") ^ node.has("error"))) {
            return new JsonRpcMessage(Kind.RESPONSE, id, null, null, node);
        }
        throw invalid("a JSON-RPC message needs a \"method\", or an \"id\" with a \"result\" or an \"error\"");
    }

    private static JsonRpcException invalid(String message) {
        return new JsonRpcException(JsonRpc.INVALID_REQUEST, "Invalid request: " + message);
    }
}
