package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Switchboard;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestSecretKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway's key for stored secrets, as an operator meets it at startup: SWITCHBOARD_SECRET_KEY, or a key file
 * generated on every engine, and a bad key refused in one line without a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretKeyStartupTest {

    @EngineTest
    void withoutAKeyEveryEngineMakesAndKeepsAKeyFile(TestEngine engine, @TempDir Path dir, CapturedOutput output)
            throws Exception {
        // SQLite keeps the key file beside its database; a server engine's gateway in its data directory.
        boolean embedded = Dialect.of(engine.engine()).embedded();
        String url = embedded ? "sqlite:///" + dir.resolve("registry.db") : engine.newDatabaseUrl();
        Map<String, String> env = Map.of("DATABASE_URL", url, "SWITCHBOARD_DATA_DIR", dir.toString());
        Path keyFile = dir.resolve("switchboard-secret.key");
        String sealed;
        String keyId;
        try (ConfigurableApplicationContext gateway = start(env)) {
            SecretCipher cipher = gateway.getBean(SecretCipher.class);
            sealed = cipher.encrypt("upstream-token");
            keyId = AesGcmSecretCipher.keyIdOf(sealed).orElseThrow();
        }
        assertThat(keyFile).exists();
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        }
        String written = Files.readString(keyFile);
        assertThat(EncryptionKey.parse("the file", written).id()).isEqualTo(keyId);
        assertThat(output.getOut()).contains("Created the key file " + keyFile + " (key " + keyId + ")")
                .contains("WARN").contains("Stored upstream secrets are protected by the key file "
                        + keyFile + " (key " + keyId + ")")
                .contains("keep a copy of the key in a secret store and pass it as SWITCHBOARD_SECRET_KEY");

        // A restart reads the same file: what the first run stored is still readable.
        try (ConfigurableApplicationContext gateway = start(env)) {
            assertThat(gateway.getBean(SecretCipher.class).decrypt(sealed)).isEqualTo("upstream-token");
        }
        assertThat(Files.readString(keyFile)).isEqualTo(written);
        assertThat(output.getOut()).containsOnlyOnce("Created the key file");
    }

    @EngineTest
    void withAKeyTheGatewayEncryptsUnderItOnEveryEngine(TestEngine engine, CapturedOutput output) {
        Map<String, String> env = Map.of("DATABASE_URL", engine.newDatabaseUrl(), "SWITCHBOARD_SECRET_KEY",
                TestSecretKeys.KEY);
        try (ConfigurableApplicationContext gateway = start(env)) {
            SecretCipher cipher = gateway.getBean(SecretCipher.class);
            String sealed = cipher.encrypt("upstream-token");
            assertThat(sealed).startsWith("v1:" + EncryptionKey.parse("k", TestSecretKeys.KEY).id() + ":");
            assertThat(cipher.decrypt(sealed)).isEqualTo("upstream-token");
        }
        assertThat(output.getOut()).doesNotContain("key file").doesNotContain(TestSecretKeys.KEY);
    }

    @Test
    void aWeakKeyIsRefusedEvenWhereADevelopmentKeyWouldDo(@TempDir Path dir, CapturedOutput output) {
        String zeros = "A".repeat(43) + "=";
        assertThatThrownBy(() -> start(Map.of("DATABASE_URL", "sqlite:///" + dir.resolve("registry.db"),
                "SWITCHBOARD_SECRET_KEY", zeros))).hasRootCauseInstanceOf(InvalidSettingException.class);
        assertThat(output.getOut()).contains("SWITCHBOARD_SECRET_KEY is too regular to be a random key (its 32 bytes "
                + "take only 1 distinct value). Make one with: openssl rand -base64 32")
                .doesNotContain("\tat dev.switchboard");
        assertThat(dir.resolve("switchboard-secret.key")).doesNotExist();
    }

    @Test
    void aMalformedOldKeyIsRefusedToo(@TempDir Path dir, CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("DATABASE_URL", "sqlite:///" + dir.resolve("registry.db"),
                "SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY, "SWITCHBOARD_OLD_SECRET_KEY", "not a key")))
                .hasRootCauseInstanceOf(InvalidSettingException.class);
        assertThat(output.getOut()).contains("SWITCHBOARD_OLD_SECRET_KEY is not base64 (standard or URL-safe)");
    }

    private static ConfigurableApplicationContext start(Map<String, String> environment) {
        Map<String, Object> properties = new LinkedHashMap<>(environment);
        properties.put("server.port", "0");
        return new SpringApplicationBuilder(Switchboard.class).properties(properties).run();
    }

    record Started(int status, String stdout, String stderr) {
    }

    /** The jar's entry point in its own JVM with only these variables, as a container would run it. */
    static Started runEntryPoint(Map<String, String> environment, Path workDir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Switchboard.class.getName()).directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", "0");
        Process process = builder.start();
        // Read both streams while it runs; neither may fill its pipe and stall the process.
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String stdout = read(process.getInputStream());
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the gateway did not stop; it printed:\n" + stdout);
        }
        return new Started(process.exitValue(), stdout, stderr.get());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
