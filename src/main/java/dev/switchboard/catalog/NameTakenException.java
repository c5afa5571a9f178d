package dev.switchboard.catalog;

/** Another entry already holds a name (or URI) that must be unique; the same on every engine. */
public class NameTakenException extends RuntimeException {

    private final String field;

    public NameTakenException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
