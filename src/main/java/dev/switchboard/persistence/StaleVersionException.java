package dev.switchboard.persistence;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** An optimistic-locking update named a version that is no longer current (HTTP 412). Nothing was written. */
public class StaleVersionException extends RuntimeException implements ApiProblem {

    public StaleVersionException(String message) {
        super(message);
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.STALE_VERSION;
    }

    @Override
    public String problemDetail() {
        return getMessage() + "; read it again and apply your change to the new version";
    }
}
