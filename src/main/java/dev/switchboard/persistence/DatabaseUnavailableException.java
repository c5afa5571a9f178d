package dev.switchboard.persistence;

/** The connection to the database was lost or could not be made (HTTP 503; readiness goes down). */
public class DatabaseUnavailableException extends DataAccessFailure {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(DatabaseError.CONNECTION_LOST, message, cause);
    }
}
