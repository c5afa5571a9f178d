package dev.switchboard.persistence;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** A write collided with a unique key (HTTP 409). Nothing was written. */
public class UniqueViolationException extends DataAccessFailure implements ApiProblem {

    public UniqueViolationException(String message, Throwable cause) {
        super(DatabaseError.UNIQUE_VIOLATION, message, cause);
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.CONFLICT;
    }

    @Override
    public String problemDetail() {
        return "the change would duplicate a value that must be unique";
    }
}
