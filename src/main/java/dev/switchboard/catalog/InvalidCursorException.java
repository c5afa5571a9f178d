package dev.switchboard.catalog;

/** A listing was given a cursor it did not issue (HTTP 400). */
public class InvalidCursorException extends IllegalArgumentException {

    public InvalidCursorException(String message) {
        super(message);
    }
}
