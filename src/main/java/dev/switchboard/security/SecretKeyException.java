package dev.switchboard.security;

/**
 * The key for stored secrets is missing, malformed or weak, or its file cannot be used. The message is one line
 * for the operator that says how to make a key, and never contains the key.
 */
public class SecretKeyException extends RuntimeException {

    public SecretKeyException(String message) {
        // No stack trace: the message is the whole story, and a trace would only bury it.
        super(message, null, false, false);
    }
}
