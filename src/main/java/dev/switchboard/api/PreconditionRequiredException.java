package dev.switchboard.api;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** An update named no version to check against (HTTP 428). */
public class PreconditionRequiredException extends RuntimeException implements ApiProblem {

    public PreconditionRequiredException(String message) {
        super(message);
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.PRECONDITION_REQUIRED;
    }
}
