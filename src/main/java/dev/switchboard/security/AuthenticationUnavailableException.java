package dev.switchboard.security;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;
import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/**
 * A credential could not be checked because something it depends on is down (the database, a JWKS server).
 * It answers 503, not 401: the credential may be fine, and the client should retry rather than re-authenticate.
 */
public class AuthenticationUnavailableException extends AuthenticationException implements ApiProblem {

    private final ProblemType problem;

    public AuthenticationUnavailableException(ProblemType problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    @Override
    public ProblemType problemType() {
        return problem;
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(5);
    }
}
