package dev.switchboard.mcp;

import dev.switchboard.invocation.InvocationErrors;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;

/** The invocation metrics' error_type of a resources/read or prompts/get that failed with {@code failure}. */
final class MeasuredErrors {

    private MeasuredErrors() {
    }

    static String of(RuntimeException failure) {
        if (failure instanceof JsonRpcException rpc) {
            // Ours to answer (an upstream's error arrives here translated): InvocationErrors would take it for one
            // that an upstream sent.
            return rpc.code() == JsonRpc.INVALID_PARAMS ? InvocationErrors.INVALID_PARAMS : InvocationErrors.INTERNAL;
        }
        return InvocationErrors.of(failure);
    }
}
