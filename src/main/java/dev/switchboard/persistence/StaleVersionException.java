package dev.switchboard.persistence;

/** An optimistic-locking update named a version that is no longer current (HTTP 412). Nothing was written. */
public class StaleVersionException extends RuntimeException {

    public StaleVersionException(String message) {
        super(message);
    }
}
