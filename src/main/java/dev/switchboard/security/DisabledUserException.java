package dev.switchboard.security;

import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/** The credential's user is disabled: it is answered 401 {@code invalid_token}, like a revoked token. */
public final class DisabledUserException extends InvalidBearerTokenException {

    public DisabledUserException(String username) {
        super("The user " + username + " is disabled, and so are their credentials");
    }
}
