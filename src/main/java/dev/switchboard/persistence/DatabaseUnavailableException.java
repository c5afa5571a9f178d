package dev.switchboard.persistence;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;
import java.time.Duration;

/** The connection to the database was lost or could not be made (HTTP 503; readiness goes down). */
public class DatabaseUnavailableException extends DataAccessFailure implements ApiProblem {

    /** What a client is told when the database cannot serve its request, unavailable or busy. */
    static final String UNAVAILABLE_DETAIL = "the registry database is unavailable or busy; try again shortly";

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(DatabaseError.CONNECTION_LOST, message, cause);
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.DATABASE_UNAVAILABLE;
    }

    @Override
    public String problemDetail() {
        return UNAVAILABLE_DETAIL;
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(2);
    }
}
