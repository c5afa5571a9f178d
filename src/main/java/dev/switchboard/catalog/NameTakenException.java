package dev.switchboard.catalog;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** Another entry already holds a name (or URI) that must be unique; the same on every engine. */
public class NameTakenException extends RuntimeException implements ApiProblem {

    private final String field;

    public NameTakenException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.NAME_CONFLICT;
    }

    @Override
    public String problemField() {
        return field;
    }
}
