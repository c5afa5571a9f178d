package dev.switchboard.api;

/** An update named no version to check against (HTTP 428). */
public class PreconditionRequiredException extends RuntimeException {

    public PreconditionRequiredException(String message) {
        super(message);
    }
}
