package dev.switchboard.mcp;

import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.MethodNames;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Which requests a client may be sent: each needs the capability the client declared (in initialize, or in a
 * 2026-07-28 request's {@code _meta}); the spec forbids asking a client without it.
 */
final class ClientCapabilities {

    private static final Map<String, String> NEEDS = Map.of(MethodNames.SAMPLING_CREATE_MESSAGE, "sampling",
            MethodNames.ELICITATION_CREATE, "elicitation", MethodNames.ROOTS_LIST, "roots");

    private ClientCapabilities() {
    }

    /**
     * Passes when {@code declared} allows sending {@code method} to the client.
     *
     * @throws JsonRpcException -32601, to send back to the upstream that asked, when it does not
     */
    static void require(JsonNode declared, String method) {
        String capability = NEEDS.get(method);
        if (capability == null || !declared.has(capability)) {
            throw new JsonRpcException(JsonRpc.METHOD_NOT_FOUND, "Method not found: the client did"
                    + " not declare the " + (capability == null ? "capability for " + method
                    : capability + " capability"));
        }
    }
}
