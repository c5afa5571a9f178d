package dev.switchboard.federation;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A JSON-RPC error object, as the upstream (or the client, when answering the upstream) sent it, unchanged. */
public class UpstreamErrorResponse extends RuntimeException {

    private final JsonNode error;

    public UpstreamErrorResponse(JsonNode error) {
        super(error.path("message").asString("error without a message"));
        this.error = error;
    }

    /** The error object: {@code code}, {@code message} and, when sent, {@code data}. */
    public JsonNode error() {
        return error;
    }

    public int code() {
        return error.path("code").asInt(-32603);
    }

    /** A new error object. */
    public static ObjectNode error(int code, String message) {
        return JsonNodeFactory.instance.objectNode().put("code", code).put("message", message);
    }
}
