package dev.switchboard.security;

import dev.switchboard.persistence.Database;
import dev.switchboard.settings.InvalidSettingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the keys for stored secrets come from: SWITCHBOARD_SECRET_KEY, or without it a key file generated at the first
 * start, beside an embedded database and in the data directory (SWITCHBOARD_DATA_DIR) on a server engine.
 * SWITCHBOARD_OLD_SECRET_KEY, when set, is a key that stored secrets may still be under while a rotation is in
 * progress. The registry records which key it is sealed under ({@link SecretKeyCheck}), so a gateway with another key
 * refuses to start.
 */
public final class SecretKeySettings {

    public static final String KEY = "SWITCHBOARD_SECRET_KEY";
    public static final String OLD_KEY = "SWITCHBOARD_OLD_SECRET_KEY";
    public static final String DATA_DIR = "SWITCHBOARD_DATA_DIR";
    /** The data directory when SWITCHBOARD_DATA_DIR is unset: where the default embedded database lives too. */
    public static final String DEFAULT_DATA_DIR = "data";

    private static final Logger log = LoggerFactory.getLogger(SecretKeySettings.class);

    /** A key and where it came from, for what the operator reads. */
    public record SourcedKey(EncryptionKey key, String source) {
    }

    private final String key;
    private final String oldKey;
    private final Database database;
    private final Path dataDirectory;

    /**
     * @param key           SWITCHBOARD_SECRET_KEY, or null
     * @param oldKey        SWITCHBOARD_OLD_SECRET_KEY, or null
     * @param database      the registry, which tells where a generated key file lives
     * @param dataDirectory SWITCHBOARD_DATA_DIR: where a server engine's generated key file lives
     */
    public SecretKeySettings(String key, String oldKey, Database database, Path dataDirectory) {
        this.key = blankAsNull(key);
        this.oldKey = blankAsNull(oldKey);
        this.database = database;
        this.dataDirectory = dataDirectory;
    }

    /**
     * @param env      answers a variable's name with its value or null: the command-line tools' way
     * @param database the registry, which tells where a generated key file lives
     */
    public SecretKeySettings(Function<String, String> env, Database database) {
        this(env.apply(KEY), env.apply(OLD_KEY), database, Path.of(Optional.ofNullable(blankAsNull(env.apply(DATA_DIR)))
                .orElse(DEFAULT_DATA_DIR)));
    }

    /** A key that cannot be used: one line, and no separate advice, since the message says how to make a key. */
    static InvalidSettingException invalidKey(String message) {
        return new InvalidSettingException(message, null);
    }

    /** The cipher a gateway uses: encrypts under the current key, and also decrypts under the old key if set. */
    public AesGcmSecretCipher gatewayCipher() {
        return gatewayCipher(currentKey(), oldKey());
    }

    /** The cipher of {@link #gatewayCipher()}, from keys already read. */
    static AesGcmSecretCipher gatewayCipher(SourcedKey current, Optional<SourcedKey> old) {
        old.ifPresent(o -> log.info("Stored secrets: key {}; {} {} is still read until `secrets rotate` has run",
                current.key().id(), OLD_KEY, o.key().id()));
        return new AesGcmSecretCipher(current.key(), old.map(o -> List.of(o.key())).orElse(List.of()));
    }

    /**
     * The key new secrets are encrypted under: SWITCHBOARD_SECRET_KEY, or without it the key file (created on first
     * use) beside an embedded database or in the data directory of a server engine's gateway, or for an embedded
     * database held only in memory, a key that lasts as long as the process.
     *
     * @throws dev.switchboard.settings.InvalidSettingException when the key is malformed or weak, or the key file cannot be made
     */
    public SourcedKey currentKey() {
        String text = key;
        if (text != null) {
            return new SourcedKey(EncryptionKey.parse(KEY, text), KEY);
        }
        if (database.dialect().embedded() && database.embeddedFile().isEmpty()) {
            log.warn("Stored upstream secrets are protected by a key that lasts only as long as this process, because "
                    + "the database lives in memory; set {} to keep them readable (make one with: openssl rand "
                    + "-base64 32)", KEY);
            return new SourcedKey(EncryptionKey.generate(), "a key for this process only");
        }
        Path file = keyFile().orElseThrow();
        EncryptionKey key = DevelopmentKeyFile.readOrCreate(file);
        log.warn("Stored upstream secrets are protected by the key file {} (key {}), which {}. For production, keep "
                + "a copy of the key in a secret store and pass it as {}; see docs/security.md", file, key.id(),
                database.dialect().embedded() ? "sits beside the database: whoever can read the one can read the other"
                        : "serves this gateway only: replicas must share the key through " + KEY, KEY);
        return new SourcedKey(key, "the key file " + file);
    }

    /**
     * Where the generated key file lives: beside an embedded database's file, or in the data directory when the
     * registry is on a server. Empty for a database held in memory.
     */
    public Optional<Path> keyFile() {
        if (database.dialect().embedded()) {
            return database.embeddedFile().map(DevelopmentKeyFile::beside);
        }
        return Optional.of(dataDirectory.toAbsolutePath().normalize().resolve(DevelopmentKeyFile.NAME));
    }

    /** SWITCHBOARD_SECRET_KEY itself, which a rotation requires: it never rotates to a generated key. */
    public SourcedKey requiredKey() {
        return new SourcedKey(EncryptionKey.parse(KEY, key), KEY);
    }

    /** SWITCHBOARD_OLD_SECRET_KEY, when set. */
    public Optional<SourcedKey> oldKey() {
        String text = oldKey;
        return text == null ? Optional.empty() : Optional.of(new SourcedKey(EncryptionKey.parse(OLD_KEY, text), OLD_KEY));
    }

    /**
     * The key a rotation moves secrets away from: SWITCHBOARD_OLD_SECRET_KEY, or when it is unset, the generated key
     * file if there is one (it is never created here).
     */
    public Optional<SourcedKey> oldKeyForRotation() {
        Optional<SourcedKey> old = oldKey();
        if (old.isPresent()) {
            return old;
        }
        return keyFile().flatMap(file -> DevelopmentKeyFile.read(file)
                .map(key -> new SourcedKey(key, "the key file " + file)));
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
