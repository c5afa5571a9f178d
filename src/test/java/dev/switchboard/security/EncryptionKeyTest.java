package dev.switchboard.security;

import dev.switchboard.settings.InvalidSettingException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.TestSecretKeys;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SWITCHBOARD_SECRET_KEY: base64 of exactly 32 bytes that look random, or one line that says how to make one. */
class EncryptionKeyTest {

    private static final String HOW = "Make one with: openssl rand -base64 32";

    static Stream<Arguments> refusedKeys() {
        byte[] sixteenValues = new byte[32];
        for (int i = 0; i < 32; i++) {
            sixteenValues[i] = (byte) (i % 15); // 15 distinct values
        }
        return Stream.of(
                Arguments.of("missing", null, "SWITCHBOARD_SECRET_KEY is not set"),
                Arguments.of("blank", "  \n", "SWITCHBOARD_SECRET_KEY is not set"),
                Arguments.of("not base64", "correct horse battery staple!", "is not base64"),
                Arguments.of("base64 of 16 bytes", base64(random(16)), "decodes to 16 bytes; it must be exactly 32"),
                Arguments.of("base64 of 31 bytes", base64(random(31)), "decodes to 31 bytes"),
                Arguments.of("base64 of 33 bytes", base64(random(33)), "decodes to 33 bytes"),
                Arguments.of("hex of 32 bytes", HexFormat.of().formatHex(random(32)), "looks like 64 hex digits"),
                Arguments.of("32 equal bytes", base64(new byte[32]), "only 1 distinct value)"),
                Arguments.of("32 bytes of 15 values", base64(sixteenValues), "only 15 distinct values"),
                Arguments.of("mixed alphabets", TestSecretKeys.KEY.replace("+", "-").replace("=", "/"), "is not base64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedKeys")
    void refusesWithOneLineThatSaysHowToMakeAKeyAndNeverEchoesIt(String what, String text, String problem) {
        assertThatThrownBy(() -> EncryptionKey.parse("SWITCHBOARD_SECRET_KEY", text))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("SWITCHBOARD_SECRET_KEY ")
                .hasMessageContaining(problem)
                .hasMessageEndingWith(HOW)
                .satisfies(e -> {
                    assertThat(e.getMessage().lines()).hasSize(1);
                    assertThat(e.getStackTrace()).isEmpty();
                    if (text != null && !text.isBlank()) {
                        assertThat(e.getMessage()).doesNotContain(text.strip());
                    }
                });
    }

    @Test
    void acceptsStandardAndUrlSafeBase64WithOrWithoutPaddingAndSurroundingWhitespace() {
        byte[] bytes = Base64.getDecoder().decode(TestSecretKeys.KEY);
        String id = EncryptionKey.parse("k", TestSecretKeys.KEY).id();
        assertThat(EncryptionKey.parse("k", Base64.getUrlEncoder().encodeToString(bytes)).id()).isEqualTo(id);
        assertThat(EncryptionKey.parse("k", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)).id())
                .isEqualTo(id);
        assertThat(EncryptionKey.parse("k", TestSecretKeys.KEY.replace("=", "")).id()).isEqualTo(id);
        assertThat(EncryptionKey.parse("k", "  " + TestSecretKeys.KEY + "\n").id()).isEqualTo(id);
    }

    @Test
    void theIdIsTheFirstEightHexDigitsOfTheKeysSha256() throws Exception {
        byte[] bytes = Base64.getDecoder().decode(TestSecretKeys.KEY);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 8);
        EncryptionKey key = EncryptionKey.parse("k", TestSecretKeys.KEY);
        assertThat(key.id()).isEqualTo(expected);
        assertThat(key.toString()).isEqualTo("key " + expected).doesNotContain(TestSecretKeys.KEY);
        assertThat(EncryptionKey.parse("k", TestSecretKeys.OTHER).id()).isNotEqualTo(expected);
    }

    @Test
    void generatedKeysAreDifferentAndPassTheirOwnChecks() {
        EncryptionKey a = EncryptionKey.generate();
        EncryptionKey b = EncryptionKey.generate();
        assertThat(a.sameAs(b)).isFalse();
        assertThat(EncryptionKey.parse("k", a.encoded()).sameAs(a)).isTrue();
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
