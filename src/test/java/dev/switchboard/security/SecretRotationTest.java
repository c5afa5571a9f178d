package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.catalog.CommandDocument;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.cli.SecretsCommand;
import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.DatabaseSettings;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.RegistryDump;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestSecretKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** `secrets rotate` as an operator runs it: every stored secret moves to the new key in one transaction, or none. */
class SecretRotationTest {

    private static final EncryptionKey OLD = EncryptionKey.parse("k", TestSecretKeys.KEY);
    private static final EncryptionKey NEW = EncryptionKey.parse("k", TestSecretKeys.OTHER);
    private static final EncryptionKey STRANGER = EncryptionKey.parse("k", TestSecretKeys.STRANGER);

    /** One run of the command in this JVM, with what it printed. */
    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Run secrets(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new SecretsCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get).run(List.of(args));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @EngineTest
    void everySecretMovesToTheNewKeyAndARerunChangesNothing(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        try (Database db = migrated(url)) {
            SecretSamples samples = new SecretSamples(db);
            AesGcmSecretCipher old = new AesGcmSecretCipher(OLD);
            Map<String, String> plainByRow = new LinkedHashMap<>();
            UpstreamGateway gateway = samples.gateway(old.encrypt(plain(plainByRow, "gateway")));
            Tool rest = samples.restTool(old.encrypt(plain(plainByRow, "rest")));
            Tool federated = samples.federatedTool(gateway, old.encrypt(plain(plainByRow, "federated")));
            Tool open = samples.restTool(null); // no secret: nothing to rotate
            String envValue = plain(plainByRow, "environment");
            UpstreamGateway stdio = samples.stdioGateway("{\"command\":\"server\",\"args\":[],\"env\":[\"API_KEY\"]}",
                    old.encrypt("{\"API_KEY\":\"" + envValue + "\"}"));
            // As a version before sealed environments stored it: the value in clear in the command document.
            String legacyValue = SecretSamples.plaintext("legacy-environment");
            UpstreamGateway legacy = samples.stdioGateway("{\"command\":\"server\",\"env\":{\"TOKEN\":\""
                    + legacyValue + "\"}}", null);
            RegistryDump before = RegistryDump.of(db);

            Map<String, String> env = Map.of("DATABASE_URL", url, SecretKeySettings.KEY, TestSecretKeys.OTHER,
                    SecretKeySettings.OLD_KEY, TestSecretKeys.KEY);
            Run dryRun = secrets(env, "rotate", "--dry-run");
            assertThat(dryRun.status()).as(dryRun.toString()).isZero();
            assertThat(dryRun.out()).contains("would re-encrypt 4 secrets (2 tools, 1 gateway, 1 stdio environment); 0 "
                    + "already under the new key").contains("would seal the clear environment values of 1 stdio "
                    + "upstream").contains("Dry run: nothing was changed.");
            assertThat(RegistryDump.of(db).differencesFrom(before)).isEmpty();

            Run rotate = secrets(env, "rotate");
            assertThat(rotate.status()).as(rotate.toString()).isZero();
            assertThat(rotate.out()).contains("New key:   " + NEW.id() + " (SWITCHBOARD_SECRET_KEY)")
                    .contains("Old key:   " + OLD.id() + " (SWITCHBOARD_OLD_SECRET_KEY)")
                    .contains("re-encrypted 4 secrets (2 tools, 1 gateway, 1 stdio environment); 0 already under the "
                            + "new key").contains("sealed the clear environment values of 1 stdio upstream");

            AesGcmSecretCipher newOnly = new AesGcmSecretCipher(NEW);
            AesGcmSecretCipher oldOnly = new AesGcmSecretCipher(OLD);
            Map<String, String> stored = Map.of("gateway", samples.storedSecretOfGateway(gateway.id()),
                    "rest", samples.storedSecretOfTool(rest.id()), "federated", samples.storedSecretOfTool(federated.id()));
            stored.forEach((row, value) -> {
                assertThat(newOnly.decrypt(value)).as(row).isEqualTo(plainByRow.get(row));
                assertThatThrownBy(() -> oldOnly.decrypt(value)).as(row).isInstanceOf(SecretDecryptionException.class);
            });
            assertThat(samples.storedSecretOfTool(open.id())).isNull();
            assertThat(newOnly.decrypt(samples.storedGateway(stdio.id()).commandSecret()))
                    .isEqualTo("{\"API_KEY\":\"" + envValue + "\"}");
            UpstreamGateway sealedLegacy = samples.storedGateway(legacy.id());
            assertThat(sealedLegacy.command()).doesNotContain(legacyValue);
            assertThat(CommandDocument.parse(sealedLegacy.command()).envNames()).containsExactly("TOKEN");
            assertThat(newOnly.decrypt(sealedLegacy.commandSecret())).isEqualTo("{\"TOKEN\":\"" + legacyValue + "\"}");
            assertThat(sealedLegacy.version()).isEqualTo(legacy.version());
            // The entries themselves did not change: their versions stay, so clients' optimistic locks hold.
            assertThat(new dev.switchboard.catalog.ToolRepository(db.transactions()).get(rest.id()).version())
                    .isEqualTo(rest.version());
            String everything = StoredSecretsTest.everyValue(RegistryDump.of(db));
            plainByRow.values().forEach(plain -> assertThat(everything).doesNotContain(plain));
            assertThat(everything).doesNotContain(legacyValue);

            RegistryDump rotated = RegistryDump.of(db);
            Run again = secrets(env, "rotate");
            assertThat(again.status()).as(again.toString()).isZero();
            assertThat(again.out()).contains("re-encrypted 0 secrets (0 tools, 0 gateways, 0 stdio environments); 5 "
                    + "already under the new key").doesNotContain("sealed");
            assertThat(RegistryDump.of(db).differencesFrom(rotated)).isEmpty();
        }
    }

    @EngineTest
    void aValueUnderNeitherKeyAbortsTheWholeRotationAndNamesItsRow(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        try (Database db = migrated(url)) {
            SecretSamples samples = new SecretSamples(db);
            AesGcmSecretCipher old = new AesGcmSecretCipher(OLD);
            samples.gateway(old.encrypt(SecretSamples.plaintext("a")));
            samples.restTool(old.encrypt(SecretSamples.plaintext("b")));
            Tool stranger = samples.restTool(new AesGcmSecretCipher(STRANGER).encrypt(SecretSamples.plaintext("c")));
            samples.restTool(new AesGcmSecretCipher(NEW).encrypt(SecretSamples.plaintext("d")));
            RegistryDump before = RegistryDump.of(db);

            Run rotate = secrets(Map.of("DATABASE_URL", url, SecretKeySettings.KEY, TestSecretKeys.OTHER,
                    SecretKeySettings.OLD_KEY, TestSecretKeys.KEY), "rotate");
            assertThat(rotate.status()).as(rotate.toString()).isEqualTo(1);
            assertThat(rotate.err()).isEqualTo("switchboard secrets: the secret of tool " + stranger.id() + " (table tool) "
                    + "decrypts under neither the new key " + NEW.id() + " nor the old key " + OLD.id() + "; it was made "
                    + "under key " + STRANGER.id() + ". Nothing was changed.\n");
            assertThat(RegistryDump.of(db).differencesFrom(before)).isEmpty();

            // Without the old key, values under it are just as unreadable: nothing is changed either.
            Run withoutOld = secrets(Map.of("DATABASE_URL", url, SecretKeySettings.KEY, TestSecretKeys.OTHER), "rotate");
            assertThat(withoutOld.status()).isEqualTo(1);
            assertThat(withoutOld.err()).contains("does not decrypt under the new key " + NEW.id()
                    + ", and no old key is set (SWITCHBOARD_OLD_SECRET_KEY)");
            assertThat(RegistryDump.of(db).differencesFrom(before)).isEmpty();
        }
    }

    @EngineTest
    void aRotationNeedsTheNewKeyAndRefusesAnOldKeyThatIsTheSame(TestEngine engine) throws Exception {
        String url = engine.newDatabaseUrl();
        try (Database db = migrated(url)) {
            Run noKey = secrets(Map.of("DATABASE_URL", url, SecretKeySettings.OLD_KEY, TestSecretKeys.KEY), "rotate");
            assertThat(noKey.status()).isEqualTo(1);
            assertThat(noKey.err()).isEqualTo("switchboard secrets: SWITCHBOARD_SECRET_KEY is not set; it encrypts the "
                    + "upstream credentials stored in the database. Make one with: openssl rand -base64 32\n");

            Run same = secrets(Map.of("DATABASE_URL", url, SecretKeySettings.KEY, TestSecretKeys.KEY,
                    SecretKeySettings.OLD_KEY, TestSecretKeys.KEY), "rotate");
            assertThat(same.status()).isEqualTo(2);
            assertThat(same.err()).startsWith("switchboard secrets: SWITCHBOARD_OLD_SECRET_KEY is the same key as "
                    + "SWITCHBOARD_SECRET_KEY (" + OLD.id() + ")");

            Run weak = secrets(Map.of("DATABASE_URL", url, SecretKeySettings.KEY, "A".repeat(43) + "="), "rotate");
            assertThat(weak.status()).isEqualTo(1);
            assertThat(weak.err()).contains("too regular to be a random key");

            Run typo = secrets(Map.of("DATABASE_URL", url), "rotat");
            assertThat(typo.status()).isEqualTo(2);
            assertThat(typo.err()).contains("unknown command 'rotat'").contains("Usage: java -jar switchboard.jar secrets");
        }
    }

    @EngineTest
    void anUnmigratedDatabaseIsRefusedBeforeAnythingIsRead(TestEngine engine) {
        Run run = secrets(Map.of("DATABASE_URL", engine.newDatabaseUrl(), SecretKeySettings.KEY, TestSecretKeys.OTHER),
                "rotate");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("the schema is not current").contains("run `db migrate` first");
    }

    @EngineTest
    void theGeneratedKeyFileIsTheOldKeyWhenNoneIsSetAndTheRotationMovesTheRecordedFingerprint(TestEngine engine,
            @TempDir Path dir) throws Exception {
        // Beside a SQLite database, or in the data directory of a gateway on a server engine.
        boolean embedded = Dialect.of(engine.engine()).embedded();
        String url = embedded ? "sqlite:///" + dir.resolve("registry.db") : engine.newDatabaseUrl();
        try (Database db = migrated(url)) {
            Map<String, String> noKey = new HashMap<>(Map.of("DATABASE_URL", url, SecretKeySettings.DATA_DIR,
                    dir.toString()));
            AesGcmSecretCipher generated = new SecretKeySettings(noKey::get, db).gatewayCipher();
            Path keyFile = dir.resolve("switchboard-secret.key");
            assertThat(keyFile).exists();
            String devKeyId = generated.keyId();
            SecretSamples samples = new SecretSamples(db);
            String plain = SecretSamples.plaintext("dev");
            Tool tool = samples.restTool(generated.encrypt(plain));
            new RegistrySettings(db.transactions()).putIfAbsent(RegistrySettings.SECRET_KEY_FINGERPRINT,
                    generated.fingerprint());

            Run rotate = secrets(Map.of("DATABASE_URL", url, SecretKeySettings.KEY, TestSecretKeys.OTHER,
                    SecretKeySettings.DATA_DIR, dir.toString()), "rotate");
            assertThat(rotate.status()).as(rotate.toString()).isZero();
            assertThat(rotate.out()).contains("Old key:   " + devKeyId + " (the key file " + keyFile + ")")
                    .contains("re-encrypted 1 secret (1 tool, 0 gateways, 0 stdio environments); 0 already under the "
                            + "new key")
                    .contains("Start the gateway with SWITCHBOARD_SECRET_KEY set; the key file " + keyFile
                            + " is then no longer used.");
            assertThat(new AesGcmSecretCipher(NEW).decrypt(samples.storedSecretOfTool(tool.id()))).isEqualTo(plain);
            assertThat(Files.readString(keyFile).strip()).isNotEmpty(); // left for the operator to delete
            assertThat(new RegistrySettings(db.transactions()).read(RegistrySettings.SECRET_KEY_FINGERPRINT))
                    .contains(SecretKeyFingerprint.of(NEW));
        }
    }

    private static String plain(Map<String, String> plainByRow, String row) {
        String plain = SecretSamples.plaintext(row);
        plainByRow.put(row, plain);
        return plain;
    }

    private static Database migrated(String url) {
        Database db = Database.open(DatabaseSettings.forUrl(url));
        new SchemaMigrator(db).migrate();
        return db;
    }
}
