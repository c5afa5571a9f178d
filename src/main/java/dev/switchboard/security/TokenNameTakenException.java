package dev.switchboard.security;

/** The subject already has an API token of that name (HTTP 409). */
public class TokenNameTakenException extends RuntimeException {

    public TokenNameTakenException(String message) {
        super(message);
    }
}
