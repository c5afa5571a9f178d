package dev.switchboard.api;

import java.io.IOException;

/** A request body grew past the configured limit while it was read (HTTP 413). */
public class RequestBodyTooLargeException extends IOException {

    public RequestBodyTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
    }
}
