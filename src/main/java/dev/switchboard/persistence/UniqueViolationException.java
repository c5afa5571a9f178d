package dev.switchboard.persistence;

/** A write collided with a unique key (HTTP 409). Nothing was written. */
public class UniqueViolationException extends DataAccessFailure {

    public UniqueViolationException(String message, Throwable cause) {
        super(DatabaseError.UNIQUE_VIOLATION, message, cause);
    }
}
