package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.TestSecretKeys;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AES-256-GCM ciphertexts in the text form v1:<key id>:<base64(iv || ciphertext || tag)>. */
class AesGcmSecretCipherTest {

    private static final EncryptionKey KEY = EncryptionKey.parse("k", TestSecretKeys.KEY);
    private static final EncryptionKey OTHER = EncryptionKey.parse("k", TestSecretKeys.OTHER);
    private static final String SECRET = "Bearer sk-live-51Hx\u00e9\u2713";

    private final AesGcmSecretCipher cipher = new AesGcmSecretCipher(KEY);

    @Test
    void decryptsWhatItEncryptedWhateverTheText() {
        for (String plaintext : List.of(SECRET, "", "x", "a".repeat(10_000), "{\"user\":\"a\",\"password\":\"b:c\"}")) {
            assertThat(cipher.decrypt(cipher.encrypt(plaintext))).isEqualTo(plaintext);
        }
    }

    @Test
    void writesVersionKeyIdAndTwelveByteIvCiphertextAndSixteenByteTag() {
        String sealed = cipher.encrypt(SECRET);
        assertThat(sealed).matches("v1:" + KEY.id() + ":[A-Za-z0-9+/]+={0,2}").doesNotContain(SECRET);
        byte[] body = Base64.getDecoder().decode(sealed.substring(sealed.lastIndexOf(':') + 1));
        assertThat(body).hasSize(12 + SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16);
        assertThat(AesGcmSecretCipher.keyIdOf(sealed)).hasValue(KEY.id());
        assertThat(cipher.keyId()).isEqualTo(KEY.id());
    }

    @Test
    void theSamePlaintextEncryptsDifferentlyEveryTime() {
        Set<String> seen = new HashSet<>();
        Set<String> ivs = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String sealed = cipher.encrypt(SECRET);
            seen.add(sealed);
            ivs.add(sealed.substring(sealed.lastIndexOf(':') + 1, sealed.lastIndexOf(':') + 17)); // 12 bytes: 16 chars
        }
        assertThat(seen).hasSize(200);
        assertThat(ivs).hasSize(200);
    }

    @Test
    void anyAlteredByteFailsTheIntegrityCheckWithoutRevealingThePlaintext() {
        String sealed = cipher.encrypt(SECRET);
        String prefix = sealed.substring(0, sealed.lastIndexOf(':') + 1);
        byte[] body = Base64.getDecoder().decode(sealed.substring(prefix.length()));
        for (int i = 0; i < body.length; i++) {
            byte[] altered = body.clone();
            altered[i] ^= 0x01;
            String tampered = prefix + Base64.getEncoder().encodeToString(altered);
            assertThatThrownBy(() -> cipher.decrypt(tampered)).as("byte %d altered", i)
                    .isInstanceOf(SecretDecryptionException.class)
                    .hasMessageContaining("failed its integrity check")
                    .hasMessageNotContaining(SECRET);
        }
    }

    @Test
    void aTruncatedOrMalformedValueIsRefusedClearly() {
        String sealed = cipher.encrypt(SECRET);
        for (String bad : List.of(sealed.substring(0, sealed.length() - 4), "v1:" + KEY.id() + ":AAAA",
                "v1:" + KEY.id() + ":not*base64", "v2" + sealed.substring(2), SECRET, "", "v1:" + KEY.id())) {
            assertThatThrownBy(() -> cipher.decrypt(bad)).as(bad)
                    .isInstanceOf(SecretDecryptionException.class)
                    .hasMessageNotContaining(SECRET);
        }
        assertThatThrownBy(() -> cipher.decrypt(null)).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void theKeyIdIsAuthenticatedSoItCannotBeSwappedForAnother() {
        // Both keys are known, so a rewritten id picks the other key; the authenticated header still refuses it.
        AesGcmSecretCipher both = new AesGcmSecretCipher(KEY, List.of(OTHER));
        String sealed = both.encrypt(SECRET);
        String relabelled = sealed.replace(":" + KEY.id() + ":", ":" + OTHER.id() + ":");
        assertThatThrownBy(() -> both.decrypt(relabelled)).isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("failed its integrity check");
    }

    @Test
    void aValueMadeUnderAnotherKeyIsRefusedNamingBothKeys() {
        String sealed = new AesGcmSecretCipher(OTHER).encrypt(SECRET);
        assertThatThrownBy(() -> cipher.decrypt(sealed)).isInstanceOf(SecretDecryptionException.class)
                .hasMessage("the stored secret was made under key " + OTHER.id() + ", but the current key is "
                        + KEY.id() + ": set SWITCHBOARD_SECRET_KEY to the key it was made under, or re-encrypt the "
                        + "stored secrets with `secrets rotate`")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void anOldKeyIsReadButNeverWrittenUnder() {
        String old = new AesGcmSecretCipher(OTHER).encrypt(SECRET);
        AesGcmSecretCipher rotating = new AesGcmSecretCipher(KEY, List.of(OTHER));
        assertThat(rotating.decrypt(old)).isEqualTo(SECRET);
        assertThat(AesGcmSecretCipher.keyIdOf(rotating.encrypt(SECRET))).hasValue(KEY.id());
        String stranger = new AesGcmSecretCipher(EncryptionKey.parse("k", TestSecretKeys.STRANGER)).encrypt(SECRET);
        assertThatThrownBy(() -> rotating.decrypt(stranger))
                .hasMessageContaining("current key is " + KEY.id() + " (old key " + OTHER.id() + ")");
    }
}
