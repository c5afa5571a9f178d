package dev.switchboard.catalog;

/** A catalog entry breaks a rule; {@code field} names the offending part, as a path such as "request.url". */
public class InvalidEntryException extends RuntimeException {

    private final String field;

    public InvalidEntryException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
