package dev.switchboard.persistence;

/** A registry copy could not start, or its result did not match the source; the source is never changed. */
public class CopyException extends RuntimeException {

    public CopyException(String message) {
        super(message);
    }
}
