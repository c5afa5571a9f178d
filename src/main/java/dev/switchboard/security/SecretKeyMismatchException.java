package dev.switchboard.security;

/**
 * The registry's secrets are sealed under another key than this gateway's: starting would write secrets no other
 * gateway can read. Startup stops with it ({@link SecretKeyMismatchFailureAnalyzer}); nothing has been written.
 */
public class SecretKeyMismatchException extends RuntimeException {

    SecretKeyMismatchException(String message) {
        // No stack trace: the message is the whole story.
        super(message, null, false, false);
    }
}
