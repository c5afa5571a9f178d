package dev.switchboard.catalog.rest;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.Codes;
import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.Credentials;
import dev.switchboard.security.SecretDecryptionException;

/**
 * How responses show a stored credential: its type, the parts that are not secret, and whether a secret is set.
 *
 * @param readable false when the stored secret cannot be decrypted with the current key (after a bad rotation)
 */
public record AuthView(String type, String username, String headerName, boolean secretSet, boolean readable) {

    static AuthView of(Credentials credentials, AuthType type, String sealed) {
        if (type == null || type == AuthType.NONE) {
            return new AuthView("none", null, null, false, true);
        }
        String name = Codes.of(type);
        try {
            Credential c = credentials.open(type, sealed);
            return new AuthView(name, c.username(), c.headerName(), c.secret() != null, true);
        } catch (SecretDecryptionException e) {
            return new AuthView(name, null, null, sealed != null, false);
        }
    }

    /** The stored credential, for merge patches; an unreadable one counts as none of its parts. */
    static Credential current(Credentials credentials, AuthType type, String sealed) {
        try {
            return credentials.open(type, sealed);
        } catch (SecretDecryptionException e) {
            return new Credential(type, null, null, null);
        }
    }
}
