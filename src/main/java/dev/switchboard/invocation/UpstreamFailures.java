package dev.switchboard.invocation;

import dev.switchboard.federation.UpstreamException;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import java.util.function.Supplier;

/**
 * How a forwarded request that got no answer reaches the caller: as a JSON-RPC error (-32603) like the ones an
 * upstream sends, so the protocol side shapes every failure of an invocation the same way.
 */
final class UpstreamFailures {

    private UpstreamFailures() {
    }

    /** What {@code work} returns; an upstream failure without an answer comes out as a JSON-RPC error. */
    static <T> T asJsonRpcErrors(Supplier<T> work) {
        try {
            return work.get();
        } catch (UpstreamException e) {
            throw new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Upstream error: " + e.getMessage());
        }
    }
}
