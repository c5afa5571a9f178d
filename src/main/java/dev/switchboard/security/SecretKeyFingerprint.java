package dev.switchboard.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Names the key stored secrets are sealed under, for the registry to record: an HMAC-SHA256 of a fixed label under
 * the key. Whoever reads it learns nothing about the key, and cannot test a guessed key any faster than by trying it.
 */
final class SecretKeyFingerprint {

    private static final String ALGORITHM = "HmacSHA256";
    /** Versioned, so that a different derivation later cannot be mistaken for this one. */
    private static final String PREFIX = "hmac-sha256:v1:";
    private static final byte[] LABEL = "switchboard secret key fingerprint".getBytes(StandardCharsets.US_ASCII);

    private SecretKeyFingerprint() {
    }

    /** The fingerprint of {@code key}, as the registry stores it. */
    static String of(EncryptionKey key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.spec().getEncoded(), ALGORITHM));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(LABEL));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** True when {@code fingerprint} is the one of {@code key}; compared in constant time. */
    static boolean matches(String fingerprint, EncryptionKey key) {
        return MessageDigest.isEqual(of(key).getBytes(StandardCharsets.US_ASCII),
                fingerprint.getBytes(StandardCharsets.US_ASCII));
    }
}
