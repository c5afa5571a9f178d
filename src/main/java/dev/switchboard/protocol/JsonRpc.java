package dev.switchboard.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** JSON-RPC 2.0 message objects and the error codes that JSON-RPC and MCP define. */
public final class JsonRpc {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** MCP's code for a resource URI that the server does not have (session-based revisions). */
    public static final int RESOURCE_NOT_FOUND = -32002;
    /** Not a JSON-RPC code: what MCP servers commonly answer, in a 404 body, for a session they do not know. */
    public static final int SESSION_NOT_FOUND = -32001;
    /**
     * Switchboard's own, in JSON-RPC's range for server errors: a virtual server's policy refused the call; the
     * message says so and names the rule, and the caller's lists do not show the tool.
     */
    public static final int REFUSED_BY_POLICY = -32003;
    /** 2026-07-28: the MCP headers are missing, malformed or disagree with the body (HTTP 400). */
    public static final int HEADER_MISMATCH = -32020;
    /** 2026-07-28: the request's revision is not one we speak; data lists {@code supported} and {@code requested}. */
    public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    private JsonRpc() {
    }

    /** A request of {@code method} with {@code id}; {@code params} (null for none) are sent as given. */
    public static ObjectNode request(JsonNode id, String method, JsonNode params) {
        ObjectNode request = object();
        request.put("jsonrpc", "2.0");
        request.set("id", id);
        request.put("method", method);
        if (params != null) {
            request.set("params", params);
        }
        return request;
    }

    public static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode response = envelope(id);
        response.set("result", result);
        return response;
    }

    /** An error response made of the exception's code, message and data. */
    public static ObjectNode error(JsonNode id, JsonRpcException e) {
        ObjectNode response = envelope(id);
        ObjectNode error = response.putObject("error");
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (e.data() != null) {
            error.set("data", e.data());
        }
        return response;
    }

    /** An error response carrying {@code error} unchanged: what a peer sent, passed on. */
    public static ObjectNode errorResponse(JsonNode id, JsonNode error) {
        ObjectNode response = envelope(id);
        response.set("error", error);
        return response;
    }

    /** The POSTed body as JSON, or null when it is empty or not JSON (a parse error to answer). */
    public static JsonNode parse(JsonMapper json, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode parsed = json.readTree(body);
            return parsed == null || parsed.isMissingNode() ? null : parsed;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** A notification (no id) of {@code method}, without params; callers add them. */
    public static ObjectNode notification(String method) {
        ObjectNode message = object();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        return message;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static ObjectNode envelope(JsonNode id) {
        ObjectNode response = object();
        response.put("jsonrpc", "2.0");
        // A response to a message whose id could not be read carries "id": null, as JSON-RPC says.
        response.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        return response;
    }
}
