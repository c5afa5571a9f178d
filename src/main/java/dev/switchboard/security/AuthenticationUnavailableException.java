package dev.switchboard.security;

import dev.switchboard.api.ProblemType;
import org.springframework.security.core.AuthenticationException;

/**
 * A credential could not be checked because something it depends on is down (the database, a JWKS server).
 * It answers 503, not 401: the credential may be fine, and the client should retry rather than re-authenticate.
 */
public class AuthenticationUnavailableException extends AuthenticationException {

    private final ProblemType problem;

    public AuthenticationUnavailableException(ProblemType problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public ProblemType problem() {
        return problem;
    }
}
