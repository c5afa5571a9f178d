package dev.switchboard.policy;

/** A rule's expression that is not CEL, or not in this environment: where (1-based line and column) and why. */
public class PolicyCompileException extends RuntimeException {

    private final int rule;
    private final int line;
    private final int column;

    PolicyCompileException(int rule, int line, int column, String message) {
        super(message);
        this.rule = rule;
        this.line = line;
        this.column = column;
    }

    /** The rule's index in the policy, from 0. */
    public int rule() {
        return rule;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
