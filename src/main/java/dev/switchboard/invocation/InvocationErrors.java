package dev.switchboard.invocation;

import dev.switchboard.federation.UpstreamException;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.observability.InvocationRecorder;

/** The error_type code of a failed invocation, from what it threw. */
public final class InvocationErrors {

    public static final String ERROR_RESULT = "error_result";
    public static final String INVALID_PARAMS = "invalid_params";
    public static final String UPSTREAM_ERROR = "upstream_error";
    public static final String CANCELLED = InvocationRecorder.CANCELLED;
    public static final String INTERNAL = "internal";

    private InvocationErrors() {
    }

    /** The code for {@code failure}: what federation reports is kept apart from our own faults. */
    public static String of(Throwable failure) {
        if (failure instanceof UpstreamException upstream) {
            return switch (upstream.kind()) {
                case UNREACHABLE -> "unreachable";
                case TIMEOUT -> "timeout";
                case PROTOCOL -> UPSTREAM_ERROR;
                case CANCELLED -> CANCELLED;
            };
        }
        if (failure instanceof JsonRpcException response) {
            return response.code() == JsonRpc.INVALID_PARAMS ? INVALID_PARAMS : UPSTREAM_ERROR;
        }
        return INTERNAL;
    }

    /**
     * The code of a failed resources/read or prompts/get: these are measured by the JSON-RPC error the client is
     * answered, so invalid params (the caller's or the upstream's) is told apart and anything else is internal.
     */
    public static String ofAnswer(RuntimeException failure) {
        if (failure instanceof JsonRpcException response && response.code() == JsonRpc.INVALID_PARAMS) {
            return INVALID_PARAMS;
        }
        return INTERNAL;
    }
}
