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
}
