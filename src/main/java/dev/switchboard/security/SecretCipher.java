package dev.switchboard.security;

/**
 * Encrypts upstream credentials before they are stored and decrypts them when they are used. The ciphertext
 * names the key that made it, so a rotation can tell old from new.
 */
public interface SecretCipher {

    /** Encrypts {@code plaintext} under the current key; the same plaintext encrypts differently every time. */
    String encrypt(String plaintext);

    /**
     * Decrypts what {@link #encrypt} produced.
     *
     * @throws SecretDecryptionException when the ciphertext was made under another key or was altered
     */
    String decrypt(String ciphertext);

    /**
     * A 256-bit key for {@code purpose}, derived from the current key (HMAC-SHA256 of the purpose under it): the
     * replicas of one registry share SWITCHBOARD_SECRET_KEY, so they derive the same key, and it reveals nothing of
     * the key it came from.
     */
    byte[] derivedKey(String purpose);
}
