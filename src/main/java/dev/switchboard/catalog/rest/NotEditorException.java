package dev.switchboard.catalog.rest;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** A change of an entry the caller sees but may not make: they are no editor or owner of the team concerned (403). */
class NotEditorException extends RuntimeException implements ApiProblem {

    NotEditorException(String message) {
        super(message);
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.FORBIDDEN;
    }
}
