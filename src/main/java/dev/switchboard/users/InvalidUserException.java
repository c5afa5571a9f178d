package dev.switchboard.users;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/** A user request that cannot be applied: a field's value is wrong (422), or the change is not allowed (409). */
final class InvalidUserException extends RuntimeException implements ApiProblem {

    private final ProblemType type;
    private final String field;

    private InvalidUserException(ProblemType type, String field, String message) {
        super(message);
        this.type = type;
        this.field = field;
    }

    /** A field whose value cannot be used. */
    static InvalidUserException field(String field, String message) {
        return new InvalidUserException(ProblemType.VALIDATION_FAILED, field, message);
    }

    /** A username another user (or the built-in administrator) has. */
    static InvalidUserException nameTaken(String username) {
        return new InvalidUserException(ProblemType.NAME_CONFLICT, "username",
                "A user named '" + username + "' already exists");
    }

    /** A field this user's kind does not let anyone change. */
    static InvalidUserException readOnly(String field, String message) {
        return new InvalidUserException(ProblemType.READ_ONLY, field == null ? null : field, message);
    }

    @Override
    public ProblemType problemType() {
        return type;
    }

    @Override
    public String problemField() {
        return field;
    }
}
