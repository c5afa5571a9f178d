package dev.switchboard.persistence;

/** The schema could not be migrated or rolled back; the database keeps every changeset that completed. */
public class MigrationException extends RuntimeException {

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
