package dev.switchboard.audit;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** A query parameter of {@code GET /v1/audit} that cannot be used: a 400 naming it. */
class InvalidAuditQueryException extends RuntimeException implements ApiProblem {

    private final String parameter;

    InvalidAuditQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.MALFORMED_REQUEST;
    }

    @Override
    public String problemField() {
        return "query." + parameter;
    }
}
