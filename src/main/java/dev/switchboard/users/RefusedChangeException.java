package dev.switchboard.users;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;

/**
 * A request of /v1/users or /v1/teams that is refused: a field's value is wrong (422), a name is taken or the change
 * is not allowed (409), or the caller may see the entry but not change it (403).
 */
final class RefusedChangeException extends RuntimeException implements ApiProblem {

    private final ProblemType type;
    private final String field;

    private RefusedChangeException(ProblemType type, String field, String message) {
        super(message);
        this.type = type;
        this.field = field;
    }

    /** A field whose value cannot be used. */
    static RefusedChangeException field(String field, String message) {
        return new RefusedChangeException(ProblemType.VALIDATION_FAILED, field, message);
    }

    /** A username another user (or the built-in administrator) has. */
    static RefusedChangeException nameTaken(String username) {
        return new RefusedChangeException(ProblemType.NAME_CONFLICT, "username",
                "A user named '" + username + "' already exists");
    }

    /** A team name another team has. */
    static RefusedChangeException teamNameTaken(String name) {
        return new RefusedChangeException(ProblemType.NAME_CONFLICT, "name",
                "A team named '" + name + "' already exists");
    }

    /** A change the registry's state does not allow, such as leaving a team without an owner. */
    static RefusedChangeException conflict(String message) {
        return new RefusedChangeException(ProblemType.CONFLICT, null, message);
    }

    /** The caller may see the entry but not make this change. */
    static RefusedChangeException forbidden(String message) {
        return new RefusedChangeException(ProblemType.FORBIDDEN, null, message);
    }

    /** A field this user's kind does not let anyone change. */
    static RefusedChangeException readOnly(String field, String message) {
        return new RefusedChangeException(ProblemType.READ_ONLY, field == null ? null : field, message);
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
