package dev.switchboard.persistence;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;
import java.time.Duration;

/** Deadlocks or lock waits persisted through every retry (HTTP 503). Nothing was written. */
public class DatabaseBusyException extends DataAccessFailure implements ApiProblem {

    public DatabaseBusyException(String message, Throwable cause) {
        super(DatabaseError.RETRYABLE, message, cause);
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.DATABASE_UNAVAILABLE;
    }

    @Override
    public String problemDetail() {
        return DatabaseUnavailableException.UNAVAILABLE_DETAIL;
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(2);
    }
}
