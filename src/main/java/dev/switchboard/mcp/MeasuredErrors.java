package dev.switchboard.mcp;

import dev.switchboard.invocation.InvocationErrors;

/** The invocation metrics' error_type of a resources/read or prompts/get that failed with {@code failure}. */
final class MeasuredErrors {

    private MeasuredErrors() {
    }

    static String of(RuntimeException failure) {
        if (failure instanceof JsonRpcException rpc && rpc.code() == JsonRpc.INVALID_PARAMS) {
            return InvocationErrors.INVALID_PARAMS;
        }
        return InvocationErrors.of(failure);
    }
}
