package dev.switchboard.mcp;

import dev.switchboard.protocol.JsonRpcException;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** How failures of an invocation reach the client: the JSON-RPC error it ended with, unchanged. */
final class UpstreamErrors {

    private UpstreamErrors() {
    }

    /** The answer {@code work} gives, with invocation failures turned into the JSON-RPC errors to send. */
    static JsonNode translated(Supplier<JsonNode> work) {
        try {
            return work.get();
        } catch (JsonRpcException e) {
            // The upstream's code, message and data, as it sent them: the client is talking to that server.
            // Failures without an upstream answer come as -32603 from the invocation side.
            JsonNode error = e.error();
            JsonNode data = error.get("data");
            throw new JsonRpcException(e.code(), error.path("message").asString(""), data);
        }
    }
}
