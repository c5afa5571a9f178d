package dev.switchboard.persistence;

/**
 * A database failure, translated so that it means the same on every engine. Subtypes say what went wrong;
 * the cause keeps the driver's exception for the logs.
 */
public class DataAccessFailure extends RuntimeException {

    private final DatabaseError kind;

    public DataAccessFailure(DatabaseError kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public DatabaseError kind() {
        return kind;
    }
}
