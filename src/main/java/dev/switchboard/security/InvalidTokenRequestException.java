package dev.switchboard.security;

/** A request to issue an API token has a mistake in one field (HTTP 422 for the API, a message by the field for the console). */
public class InvalidTokenRequestException extends RuntimeException {

    private final String field;

    InvalidTokenRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field that holds the mistake; null when the request as a whole is wrong. */
    public String field() {
        return field;
    }
}
