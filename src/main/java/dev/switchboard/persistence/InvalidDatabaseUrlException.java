package dev.switchboard.persistence;

/** DATABASE_URL cannot be used; the message is one line, names the accepted forms, and holds no password. */
public class InvalidDatabaseUrlException extends DatabaseStartupException {

    public InvalidDatabaseUrlException(String message) {
        super(message);
    }
}
