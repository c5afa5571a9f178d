package dev.switchboard.security;

/**
 * The security settings cannot be used as given: a weak JWT secret, an unreadable public key, a malformed
 * number. The message is one line for the operator and never contains a secret.
 */
public class SecuritySettingsException extends RuntimeException {

    public SecuritySettingsException(String message) {
        super(message, null, false, false);
    }
}
