package dev.switchboard.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key for stored secrets, and its id: the first 8 hex digits of the key's SHA-256. Ciphertexts carry
 * the id so that a rotation can tell old from new, and an error can name both keys without revealing either.
 */
public final class EncryptionKey {

    /** AES-256. */
    public static final int LENGTH = 32;
    /** Fewer distinct byte values than this in 32 bytes is practically impossible for a random key. */
    private static final int MIN_DISTINCT_BYTES = 16;
    private static final String HOW_TO_MAKE_ONE = "Make one with: openssl rand -base64 32";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private final String id;

    private EncryptionKey(byte[] bytes) {
        this.bytes = bytes.clone();
        this.id = HexFormat.of().formatHex(sha256(bytes), 0, 4);
    }

    /**
     * Reads a key written as base64 (standard or URL-safe, padding optional) of exactly 32 bytes.
     *
     * @param source what held the text, for messages: "SWITCHBOARD_SECRET_KEY", "the key file /data/..."
     * @throws dev.switchboard.settings.InvalidSettingException when the text is missing, is not base64, is not 32 bytes, or is obviously not random
     */
    public static EncryptionKey parse(String source, String text) {
        if (text == null || text.isBlank()) {
            throw SecretKeySettings.invalidKey(source + " is not set; it encrypts the upstream credentials stored in the "
                    + "database. " + HOW_TO_MAKE_ONE);
        }
        String trimmed = text.strip();
        if (trimmed.length() == 2 * LENGTH && trimmed.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw SecretKeySettings.invalidKey(source + " looks like 64 hex digits, but it must be base64 of 32 bytes. "
                    + HOW_TO_MAKE_ONE);
        }
        byte[] decoded = decode(trimmed);
        if (decoded == null) {
            throw SecretKeySettings.invalidKey(source + " is not base64 (standard or URL-safe); it must be base64 of "
                    + "32 bytes. " + HOW_TO_MAKE_ONE);
        }
        try {
            if (decoded.length != LENGTH) {
                throw SecretKeySettings.invalidKey(source + " decodes to " + decoded.length + " bytes; it must be exactly "
                        + LENGTH + ". " + HOW_TO_MAKE_ONE);
            }
            long distinct = distinctValues(decoded);
            if (distinct < MIN_DISTINCT_BYTES) {
                throw SecretKeySettings.invalidKey(source + " is too regular to be a random key (its 32 bytes take only "
                        + distinct + " distinct value" + (distinct == 1 ? "" : "s") + "). " + HOW_TO_MAKE_ONE);
            }
            return new EncryptionKey(decoded);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** A fresh random key, for a generated key file or an in-memory database. */
    public static EncryptionKey generate() {
        byte[] bytes = new byte[LENGTH];
        // A draw with under 16 distinct values would be refused when read back; it will not happen, but retry anyway.
        do {
            RANDOM.nextBytes(bytes);
        } while (distinctValues(bytes) < MIN_DISTINCT_BYTES);
        EncryptionKey key = new EncryptionKey(bytes);
        Arrays.fill(bytes, (byte) 0);
        return key;
    }

    /** The first 8 hex digits of the key's SHA-256: names the key in ciphertexts and messages, reveals nothing. */
    public String id() {
        return id;
    }

    /** The key as base64, the form SWITCHBOARD_SECRET_KEY and the generated key file hold. */
    String encoded() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    SecretKeySpec spec() {
        return new SecretKeySpec(bytes, "AES");
    }

    /** HMAC-SHA256 of {@code purpose} under this key: a key of its own for each purpose. */
    byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
            return mac.doFinal(("switchboard/" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** True when both hold the same bytes; compared in constant time. */
    public boolean sameAs(EncryptionKey other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    private static byte[] decode(String text) {
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static long distinctValues(byte[] bytes) {
        boolean[] seen = new boolean[256];
        long distinct = 0;
        for (byte b : bytes) {
            if (!seen[b & 0xff]) {
                seen[b & 0xff] = true;
                distinct++;
            }
        }
        return distinct;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "key " + id;
    }
}
