package dev.switchboard.security;

import dev.switchboard.settings.InvalidSettingException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestJwts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The security variables: defaults, accepted forms of each, and one clear line for each mistake. */
@ExtendWith(OutputCaptureExtension.class)
class SecuritySettingsTest {

    private static final KeyPair KEYS = TestJwts.newRsaKeys();

    @Test
    void withNothingSetTheAdministratorsBasicLoginIsTheOnlyOneAndTheDefaultsApply() {
        SecuritySettings settings = SecuritySettings.from(Map.<String, String>of()::get);
        assertThat(settings.jwtEnabled()).isFalse();
        // No ADMIN_PASSWORD: the administrator's password is the one generated at the first start.
        assertThat(settings.basicAuthEnabled()).isTrue();
        assertThat(settings.adminPassword()).isNull();
        assertThat(settings.audience()).isEqualTo("switchboard");
        assertThat(settings.issuer()).isEqualTo("switchboard");
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.adminUser()).isEqualTo("admin");
        assertThat(settings.loginFailuresPerMinute()).isEqualTo(10);
    }

    @Test
    void basicIsOnUnlessTheFlagTurnsItOff() {
        assertThat(SecuritySettings.from(Map.of("ADMIN_PASSWORD", "pw")::get).basicAuthEnabled()).isTrue();
        assertThat(SecuritySettings.from(Map.of("ADMIN_PASSWORD", "pw", "SWITCHBOARD_BASIC_AUTH_ENABLED", "false")::get)
                .basicAuthEnabled()).isFalse();
        assertThat(SecuritySettings.from(Map.of("SWITCHBOARD_BASIC_AUTH_ENABLED", "false")::get).basicAuthEnabled())
                .isFalse();
    }

    @Test
    void thePublicKeyIsReadFromPemTextWithRealOrEscapedNewlinesOrFromAFile(@TempDir Path dir) throws Exception {
        String pem = TestJwts.pem((RSAPublicKey) KEYS.getPublic());
        Path file = dir.resolve("jwt.pem");
        Files.writeString(file, pem);
        for (String value : new String[] {pem, pem.replace("\n", "\\n"), file.toString()}) {
            assertThat(SecuritySettings.from(Map.of("JWT_PUBLIC_KEY", value)::get).jwtPublicKey())
                    .isEqualTo(KEYS.getPublic());
        }
    }

    @Test
    void everyMistakeIsOneLineThatNamesTheVariable() {
        Map<Map<String, String>, String> mistakes = Map.of(
                Map.of("JWT_SECRET", "x".repeat(31)), "JWT_SECRET is too short: 31 bytes, and HS256 needs at least 32. "
                        + "Make one with: openssl rand -base64 32",
                Map.of("JWT_PUBLIC_KEY", "/no/such/file.pem"), "JWT_PUBLIC_KEY is neither PEM text nor a readable file",
                Map.of("JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
                "JWT_PUBLIC_KEY is not a valid RSA public key",
                Map.of("JWT_PUBLIC_KEY", TestJwts.pem((RSAPublicKey) KEYS.getPublic()), "JWT_JWKS_URL",
                        "https://idp.example/jwks"), "JWT_PUBLIC_KEY and JWT_JWKS_URL are both set",
                Map.of("JWT_JWKS_URL", "file:///etc/passwd"), "JWT_JWKS_URL must be an http:// or https:// URL",
                Map.of("JWT_CLOCK_SKEW_SECONDS", "-1"), "JWT_CLOCK_SKEW_SECONDS must be 0 or more",
                Map.of("SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "ten"), "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE must be a "
                        + "whole number",
                Map.of("SWITCHBOARD_BASIC_AUTH_ENABLED", "maybe"), "SWITCHBOARD_BASIC_AUTH_ENABLED must be true or false",
                Map.of("ADMIN_USER", "a:b"), "ADMIN_USER must be");
        mistakes.forEach((env, message) -> assertThatThrownBy(() -> SecuritySettings.from(env::get))
                .as(env.toString()).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith(message).hasMessageNotContaining("\n"));
    }

    @Test
    void neitherTheSecretNorThePasswordIsPrinted() {
        String secret = TestJwts.newSecret();
        assertThat(SecuritySettings.from(Map.of("JWT_SECRET", secret, "ADMIN_PASSWORD", "hunter2-password")::get)
                .toString()).doesNotContain(secret).doesNotContain("hunter2-password");
    }

    @Test
    void aWeakSecretStopsTheApplicationWithTheReportAndHowToMakeOne(CapturedOutput output) {
        assertThatThrownBy(() -> TestGateway.start(Map.of(
                "DATABASE_URL", TestEngines.scratchDatabaseUrl(), "JWT_SECRET", "change-me")))
                .hasRootCauseInstanceOf(InvalidSettingException.class);
        assertThat(output.getAll()).contains("JWT_SECRET is too short: 9 bytes, and HS256 needs at least 32. "
                + "Make one with: openssl rand -base64 32").doesNotContain("change-me");
    }
}
