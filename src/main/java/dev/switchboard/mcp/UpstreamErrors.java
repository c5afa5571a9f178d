package dev.switchboard.mcp;

import dev.switchboard.federation.UpstreamException;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** How failures of a forwarded request reach the client: the upstream's own errors unchanged, ours as -32603. */
final class UpstreamErrors {

    private UpstreamErrors() {
    }

    /** The answer {@code work} gives, with upstream failures turned into the JSON-RPC errors to send. */
    static JsonNode translated(Supplier<JsonNode> work) {
        try {
            return work.get();
        } catch (JsonRpcException e) {
            // The upstream's code, message and data, as it sent them: the client is talking to that server.
            JsonNode error = e.error();
            JsonNode data = error.get("data");
            throw new JsonRpcException(e.code(), error.path("message").asString(""), data);
        } catch (UpstreamException e) {
            throw new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Upstream error: " + e.getMessage());
        }
    }
}
