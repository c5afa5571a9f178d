package dev.switchboard.security;

/** A stored secret could not be decrypted: it was made under another key, or it was altered. */
public class SecretDecryptionException extends RuntimeException {

    public SecretDecryptionException(String message) {
        super(message);
    }

    public SecretDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
