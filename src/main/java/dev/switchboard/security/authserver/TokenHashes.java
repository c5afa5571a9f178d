package dev.switchboard.security.authserver;

import dev.switchboard.security.ApiTokenService;

/**
 * Tokens are stored only as their SHA-256. A token read back from the database carries a stand-in value (this prefix
 * and the hash) unless the caller presented it, so saving it again stores the same hash without knowing the token.
 */
final class TokenHashes {

    /** Generated tokens are base64url or JWTs: they never contain a colon, so no real token starts so. */
    static final String STAND_IN = "sha256:";

    private TokenHashes() {
    }

    /** The hex SHA-256 of {@code value}, or the hash a stand-in carries; null for null. */
    static String of(String value) {
        if (value == null) {
            return null;
        }
        if (value.startsWith(STAND_IN)) {
            return value.substring(STAND_IN.length());
        }
        return sha256(value);
    }

    /** The value to put in a token read back: {@code presented} when it hashes to {@code hash}, else a stand-in. */
    static String valueFor(String hash, String presented) {
        if (presented != null && hash.equals(sha256(presented))) {
            return presented;
        }
        return STAND_IN + hash;
    }

    static String sha256(String value) {
        return ApiTokenService.sha256(value);
    }
}
