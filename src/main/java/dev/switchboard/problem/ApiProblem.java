package dev.switchboard.problem;

import java.time.Duration;

/**
 * An exception that knows how the HTTP API reports it: its problem type (which fixes the status and title), the
 * detail, and the request field at fault. The API's exception handler answers any such exception alike, so the
 * capabilities that throw them need not be known to it.
 */
public interface ApiProblem {

    /** The problem's type; its status is the response's. */
    ProblemType problemType();

    /** The problem's detail: by default the exception's message. */
    default String problemDetail() {
        return ((Throwable) this).getMessage();
    }

    /** The request field at fault, as a path such as "request.url", or null when the request as a whole is. */
    default String problemField() {
        return null;
    }

    /** How long the client should wait before it tries again (a Retry-After header), or null to say nothing. */
    default Duration retryAfter() {
        return null;
    }
}
