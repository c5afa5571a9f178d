package dev.switchboard.security;

/** A mistake in one field of a request to issue an API token: 422 from the API, a message by the field on a page. */
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
