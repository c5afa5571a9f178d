package dev.switchboard.catalog;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** A listing was given a cursor it did not issue (HTTP 400). */
public class InvalidCursorException extends IllegalArgumentException implements ApiProblem {

    public InvalidCursorException(String message) {
        super(message);
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.VALIDATION_FAILED;
    }

    @Override
    public String problemField() {
        return "cursor";
    }
}
