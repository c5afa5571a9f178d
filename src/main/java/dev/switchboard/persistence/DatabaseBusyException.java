package dev.switchboard.persistence;

/** Deadlocks or lock waits persisted through every retry (HTTP 503). Nothing was written. */
public class DatabaseBusyException extends DataAccessFailure {

    public DatabaseBusyException(String message, Throwable cause) {
        super(DatabaseError.RETRYABLE, message, cause);
    }
}
