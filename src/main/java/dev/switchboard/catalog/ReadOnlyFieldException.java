package dev.switchboard.catalog;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** A change touched a field that its entry does not let the API change, such as a federated tool's schema. */
public class ReadOnlyFieldException extends RuntimeException implements ApiProblem {

    private final String field;

    public ReadOnlyFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.READ_ONLY;
    }

    @Override
    public String problemField() {
        return field;
    }
}
