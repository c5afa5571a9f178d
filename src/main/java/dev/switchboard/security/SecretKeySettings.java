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
 * Where the keys for stored secrets come from. SWITCHBOARD_SECRET_KEY is required, except on an embedded database,
 * which falls back to a development key file beside the database. SWITCHBOARD_OLD_SECRET_KEY, when set, is a key
 * that stored secrets may still be under while a rotation is in progress.
 */
public final class SecretKeySettings {

    public static final String KEY = "SWITCHBOARD_SECRET_KEY";
    public static final String OLD_KEY = "SWITCHBOARD_OLD_SECRET_KEY";

    private static final Logger log = LoggerFactory.getLogger(SecretKeySettings.class);

    /** A key and where it came from, for what the operator reads. */
    public record SourcedKey(EncryptionKey key, String source) {
    }

    private final String key;
    private final String oldKey;
    private final Database database;

    /**
     * @param key      SWITCHBOARD_SECRET_KEY, or null
     * @param oldKey   SWITCHBOARD_OLD_SECRET_KEY, or null
     * @param database the registry, which tells whether a development key may stand in for a missing key
     */
    public SecretKeySettings(String key, String oldKey, Database database) {
        this.key = blankAsNull(key);
        this.oldKey = blankAsNull(oldKey);
        this.database = database;
    }

    /**
     * @param env      answers a variable's name with its value or null: the command-line tools' way
     * @param database the registry, which tells whether a development key may stand in for a missing key
     */
    public SecretKeySettings(Function<String, String> env, Database database) {
        this(env.apply(KEY), env.apply(OLD_KEY), database);
    }

    /** A key that cannot be used: one line, and no separate advice, since the message says how to make a key. */
    static InvalidSettingException invalidKey(String message) {
        return new InvalidSettingException(message, null);
    }

    /** The cipher a gateway uses: encrypts under the current key, and also decrypts under the old key if set. */
    public AesGcmSecretCipher gatewayCipher() {
        SourcedKey current = currentKey();
        Optional<SourcedKey> old = oldKey();
        old.ifPresent(o -> log.info("Stored secrets: key {}; {} {} is still read until `secrets rotate` has run",
                current.key().id(), OLD_KEY, o.key().id()));
        return new AesGcmSecretCipher(current.key(), old.map(o -> List.of(o.key())).orElse(List.of()));
    }

    /**
     * The key new secrets are encrypted under: SWITCHBOARD_SECRET_KEY, or on an embedded database without it, the
     * development key file (created on first use), or for an embedded database held only in memory, a key that
     * lasts as long as the process.
     *
     * @throws dev.switchboard.settings.InvalidSettingException when the key is missing on a server database, or malformed or weak anywhere
     */
    public SourcedKey currentKey() {
        String text = key;
        if (text != null || !database.dialect().embedded()) {
            return new SourcedKey(EncryptionKey.parse(KEY, text), KEY);
        }
        Optional<Path> databaseFile = database.embeddedFile();
        if (databaseFile.isEmpty()) {
            log.warn("Stored upstream secrets are protected by a key that lasts only as long as this process, because "
                    + "the database lives in memory; set {} to keep them readable (make one with: openssl rand "
                    + "-base64 32)", KEY);
            return new SourcedKey(EncryptionKey.generate(), "a key for this process only");
        }
        Path file = DevelopmentKeyFile.beside(databaseFile.get());
        EncryptionKey key = DevelopmentKeyFile.readOrCreate(file);
        log.warn("Stored upstream secrets are protected by the development key file {} (key {}), which sits beside "
                + "the database: whoever can read the one can read the other. For production, set {} (make one with: "
                + "openssl rand -base64 32) and run `java -jar switchboard.jar secrets rotate`; see docs/security.md",
                file, key.id(), KEY);
        return new SourcedKey(key, "the development key file " + file);
    }

    /** SWITCHBOARD_SECRET_KEY itself, which a rotation requires: it never rotates to a development key. */
    public SourcedKey requiredKey() {
        return new SourcedKey(EncryptionKey.parse(KEY, key), KEY);
    }

    /** SWITCHBOARD_OLD_SECRET_KEY, when set. */
    public Optional<SourcedKey> oldKey() {
        String text = oldKey;
        return text == null ? Optional.empty() : Optional.of(new SourcedKey(EncryptionKey.parse(OLD_KEY, text), OLD_KEY));
    }

    /**
     * The key a rotation moves secrets away from: SWITCHBOARD_OLD_SECRET_KEY, or when it is unset on an embedded
     * database, the development key file if there is one (it is never created here).
     */
    public Optional<SourcedKey> oldKeyForRotation() {
        Optional<SourcedKey> old = oldKey();
        if (old.isPresent() || !database.dialect().embedded() || database.embeddedFile().isEmpty()) {
            return old;
        }
        Path file = DevelopmentKeyFile.beside(database.embeddedFile().get());
        return DevelopmentKeyFile.read(file).map(key -> new SourcedKey(key, "the development key file " + file));
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
