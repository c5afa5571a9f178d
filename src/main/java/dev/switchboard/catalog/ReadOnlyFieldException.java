package dev.switchboard.catalog;

/** A change touched a field that its entry does not let the API change, such as a federated tool's schema. */
public class ReadOnlyFieldException extends RuntimeException {

    private final String field;

    public ReadOnlyFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
