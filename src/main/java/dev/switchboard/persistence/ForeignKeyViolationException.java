package dev.switchboard.persistence;

/** A write referred to a row that does not exist, or a delete would orphan one (HTTP 409). Nothing was written. */
public class ForeignKeyViolationException extends DataAccessFailure {

    public ForeignKeyViolationException(String message, Throwable cause) {
        super(DatabaseError.FOREIGN_KEY_VIOLATION, message, cause);
    }
}
