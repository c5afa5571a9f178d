package dev.switchboard.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a random 12-byte IV per encryption and a 128-bit tag. A ciphertext reads
 * {@code v1:<key id>:<base64(iv || ciphertext || tag)>}; the {@code v1:<key id>} prefix is authenticated too, so
 * it cannot be altered to pass a value off as another key's.
 *
 * <p>Encryption always uses the current key. Decryption also accepts older keys given at construction, so that
 * gateways keep working while {@code secrets rotate} re-encrypts what is stored.
 */
public final class AesGcmSecretCipher implements SecretCipher {

    private static final String VERSION = "v1";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern FORMAT = Pattern.compile("v1:([0-9a-f]{8}):([A-Za-z0-9+/]+={0,2})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EncryptionKey current;
    private final List<EncryptionKey> older;

    public AesGcmSecretCipher(EncryptionKey current) {
        this(current, List.of());
    }

    /** A cipher that encrypts under {@code current} and decrypts under it or any of {@code older}. */
    public AesGcmSecretCipher(EncryptionKey current, List<EncryptionKey> older) {
        this.current = Objects.requireNonNull(current);
        this.older = List.copyOf(older);
    }

    /** The id of the key this cipher encrypts under. */
    /** The fingerprint the registry records for the key this cipher seals under ({@link SecretKeyFingerprint}). */
    String fingerprint() {
        return SecretKeyFingerprint.of(current);
    }

    @Override
    public byte[] derivedKey(String purpose) {
        return current.derive(purpose);
    }

    public String keyId() {
        return current.id();
    }

    /** The id of the key a stored value was made under, or empty when the value is not one of our ciphertexts. */
    public static Optional<String> keyIdOf(String ciphertext) {
        Matcher m = ciphertext == null ? null : FORMAT.matcher(ciphertext);
        return m != null && m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public String encrypt(String plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        String header = VERSION + ":" + current.id();
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, current.spec(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(header.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] body = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return header + ":" + Base64.getEncoder().encodeToString(body);
        } catch (GeneralSecurityException e) {
            // AES-GCM is in every Java runtime; failing here means a broken runtime, not bad input.
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String decrypt(String ciphertext) {
        Matcher m = ciphertext == null ? null : FORMAT.matcher(ciphertext);
        if (m == null || !m.matches()) {
            throw new SecretDecryptionException("the stored secret is not a ciphertext this gateway can read "
                    + "(expected v1:<key id>:<base64>); it was altered or written by something else");
        }
        String keyId = m.group(1);
        EncryptionKey key = keyWithId(keyId);
        if (key == null) {
            throw new SecretDecryptionException("the stored secret was made under key " + keyId + ", but the current "
                    + "key is " + describeKeys() + ": set SWITCHBOARD_SECRET_KEY to the key it was made under, or "
                    + "re-encrypt the stored secrets with `secrets rotate`");
        }
        byte[] body;
        try {
            body = Base64.getDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            body = new byte[0];
        }
        if (body.length < IV_BYTES + TAG_BITS / 8) {
            throw new SecretDecryptionException("the stored secret made under key " + keyId + " is not a whole "
                    + "ciphertext; it was altered or truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, body, 0, IV_BYTES));
            cipher.updateAAD((VERSION + ":" + keyId).getBytes(StandardCharsets.US_ASCII));
            byte[] plain = cipher.doFinal(body, IV_BYTES, body.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretDecryptionException("the stored secret made under key " + keyId + " failed its integrity "
                    + "check: it was altered, or made under another key that shares the id " + keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    private EncryptionKey keyWithId(String id) {
        if (current.id().equals(id)) {
            return current;
        }
        return older.stream().filter(k -> k.id().equals(id)).findFirst().orElse(null);
    }

    private String describeKeys() {
        if (older.isEmpty()) {
            return current.id();
        }
        List<String> ids = new ArrayList<>();
        older.forEach(k -> ids.add(k.id()));
        return current.id() + " (old key" + (ids.size() == 1 ? " " : "s ") + String.join(", ", ids) + ")";
    }

    @Override
    public String toString() {
        return "AES-256-GCM under key " + current.id();
    }
}
