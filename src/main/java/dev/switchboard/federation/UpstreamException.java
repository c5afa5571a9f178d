package dev.switchboard.federation;

/** A request to an upstream that failed without an answer from it: the message is safe to show to the client. */
public class UpstreamException extends RuntimeException {

    /** Why the request failed. */
    public enum Kind {
        /** The upstream could not be reached: refused, reset, DNS, the process would not start. */
        UNREACHABLE,
        /** The upstream did not answer within the timeout. */
        TIMEOUT,
        /** The upstream answered with something that is not MCP. */
        PROTOCOL,
        /** The caller's thread was interrupted: the upstream was told to stop. */
        CANCELLED
    }

    private final Kind kind;

    public UpstreamException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public UpstreamException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
