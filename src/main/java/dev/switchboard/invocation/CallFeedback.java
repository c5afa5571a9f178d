package dev.switchboard.invocation;

/**
 * Where a running tool call reports to its client while it runs. REST tools report that the call started and
 * ended; federation relays what the upstream reports.
 */
public interface CallFeedback {

    /** For callers that asked for no progress. */
    CallFeedback NONE = (progress, total, message) -> { };

    /** Progress so far: rises with every report; {@code total} and {@code message} may be null. */
    void progress(double progress, Double total, String message);
}
