package dev.switchboard.security.authserver;

/**
 * A Client ID Metadata Document that could not be used: unreachable, refused (address, size, time), or not valid.
 * The message is safe to show to the client (it names the rule, never the document's content).
 */
public final class ClientMetadataException extends RuntimeException {

    ClientMetadataException(String message) {
        super(message);
    }

    ClientMetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
