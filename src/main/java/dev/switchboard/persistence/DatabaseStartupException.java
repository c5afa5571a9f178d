package dev.switchboard.persistence;

/**
 * The database cannot be used as configured: a bad URL, an engine that is too old, a server that does not
 * answer. The message is a single line meant for the operator and never contains a password.
 */
public class DatabaseStartupException extends RuntimeException {

    public DatabaseStartupException(String message) {
        super(message, null, false, false);
    }
}
