package dev.switchboard.security;

import java.util.List;

/** A request to issue an API token asks for scopes its caller does not hold (HTTP 403). */
public class ScopeEscalationException extends RuntimeException {

    private final List<String> missing;

    ScopeEscalationException(List<String> missing) {
        super("missing scopes " + missing);
        this.missing = List.copyOf(missing);
    }

    /** The scopes asked for and not held, as credentials spell them. */
    public List<String> missing() {
        return missing;
    }
}
