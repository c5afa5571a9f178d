package dev.switchboard.persistence;

/** What a database failure means, the same on every engine (see the error table in DATABASES.md). */
public enum DatabaseError {
    UNIQUE_VIOLATION,
    FOREIGN_KEY_VIOLATION,
    /** Deadlock, serialization failure, lock wait timeout, SQLite busy: the transaction may succeed if retried. */
    RETRYABLE,
    CONNECTION_LOST,
    OTHER
}
