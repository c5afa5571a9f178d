package dev.switchboard.catalog;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** A catalog entry breaks a rule; {@code field} names the offending part, as a path such as "request.url". */
public class InvalidEntryException extends RuntimeException implements ApiProblem {

    private final String field;

    public InvalidEntryException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.VALIDATION_FAILED;
    }

    @Override
    public String problemField() {
        return field;
    }
}
