package dev.switchboard.security;

/** A rotation stopped before changing anything: a stored secret decrypts under neither key, or changed meanwhile. */
public class SecretRotationException extends RuntimeException {

    public SecretRotationException(String message) {
        super(message, null, false, false);
    }
}
