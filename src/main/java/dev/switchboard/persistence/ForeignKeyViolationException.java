package dev.switchboard.persistence;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** A write referred to a row that does not exist, or a delete would orphan one (HTTP 409). Nothing was written. */
public class ForeignKeyViolationException extends DataAccessFailure implements ApiProblem {

    public ForeignKeyViolationException(String message, Throwable cause) {
        super(DatabaseError.FOREIGN_KEY_VIOLATION, message, cause);
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.CONFLICT;
    }

    @Override
    public String problemDetail() {
        return "the change refers to an entry that does not exist (any more)";
    }
}
