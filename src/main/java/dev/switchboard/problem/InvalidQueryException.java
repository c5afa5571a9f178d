package dev.switchboard.problem;

/** A query parameter that cannot be used (a limit out of range, a cursor no list returned): a 400 naming it. */
public class InvalidQueryException extends RuntimeException implements ApiProblem {

    private final String parameter;

    public InvalidQueryException(String parameter, String message) {
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
