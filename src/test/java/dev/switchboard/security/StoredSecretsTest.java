package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Database;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.RegistryDump;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestSecretKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.jooq.Record;
import org.jooq.Table;

/** Secrets encrypted before they are stored come back intact on every engine, and nothing stores them in clear. */
class StoredSecretsTest {

    private static final EncryptionKey KEY = EncryptionKey.parse("k", TestSecretKeys.KEY);
    private static final EncryptionKey OTHER = EncryptionKey.parse("k", TestSecretKeys.OTHER);

    private final AesGcmSecretCipher cipher = new AesGcmSecretCipher(KEY);

    @EngineTest
    void aSecretStoredEncryptedDecryptsToItsPlaintextAfterTheRoundTrip(TestEngine engine) {
        SecretSamples samples = new SecretSamples(engine.shared());
        String plain = "Bearer " + SecretSamples.plaintext("round-trip") + " \u00e9\u2713\ud83d\udd11";
        UpstreamGateway gateway = samples.gateway(cipher.encrypt(plain));
        Tool tool = samples.federatedTool(gateway, cipher.encrypt(plain));

        assertThat(cipher.decrypt(samples.storedSecretOfGateway(gateway.id()))).isEqualTo(plain);
        assertThat(cipher.decrypt(samples.storedSecretOfTool(tool.id()))).isEqualTo(plain);
        // Same plaintext, different rows, different ciphertexts: equal secrets cannot be spotted in the table.
        assertThat(samples.storedSecretOfGateway(gateway.id())).isNotEqualTo(samples.storedSecretOfTool(tool.id()));
    }

    @EngineTest
    void aValueAlteredInTheDatabaseFailsItsIntegrityCheck(TestEngine engine) {
        Database db = engine.shared();
        SecretSamples samples = new SecretSamples(db);
        String plain = SecretSamples.plaintext("tamper");
        Tool tool = samples.restTool(cipher.encrypt(plain));
        String stored = samples.storedSecretOfTool(tool.id());
        // One character of the base64 body changed, as a careless edit or a bit flip on disk would.
        int at = stored.length() - 10;
        String altered = stored.substring(0, at) + (stored.charAt(at) == 'A' ? 'B' : 'A') + stored.substring(at + 1);
        overwriteToolSecret(db, tool.id(), altered);

        assertThatThrownBy(() -> cipher.decrypt(samples.storedSecretOfTool(tool.id())))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("failed its integrity check")
                .hasMessageNotContaining(plain);
    }

    @EngineTest
    void aValueStoredUnderAnotherKeyIsRefusedNamingBothKeys(TestEngine engine) {
        SecretSamples samples = new SecretSamples(engine.shared());
        String plain = SecretSamples.plaintext("wrong-key");
        UpstreamGateway gateway = samples.gateway(new AesGcmSecretCipher(OTHER).encrypt(plain));

        assertThatThrownBy(() -> cipher.decrypt(samples.storedSecretOfGateway(gateway.id())))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("made under key " + OTHER.id())
                .hasMessageContaining("current key is " + KEY.id())
                .hasMessageNotContaining(plain);
    }

    @EngineTest
    void theDatabaseHoldsNoSecretInClear(TestEngine engine) throws Exception {
        try (Database db = engine.openMigrated()) {
            SecretSamples samples = new SecretSamples(db);
            List<String> plaintexts = List.of(SecretSamples.plaintext("gw"), SecretSamples.plaintext("rest"),
                    SecretSamples.plaintext("mcp"));
            UpstreamGateway gateway = samples.gateway(cipher.encrypt(plaintexts.get(0)));
            samples.restTool(cipher.encrypt(plaintexts.get(1)));
            samples.federatedTool(gateway, cipher.encrypt(plaintexts.get(2)));

            String dump = everyValue(RegistryDump.of(db));
            assertThat(dump).contains("v1:" + KEY.id() + ":");
            for (String plain : plaintexts) {
                assertThat(dump).doesNotContain(plain);
            }
        }
    }

    /** Every value of every row, text and bytes alike, as one string to search. */
    static String everyValue(RegistryDump dump) {
        StringBuilder all = new StringBuilder();
        dump.tables().values().forEach(rows -> rows.forEach(row -> {
            for (Object value : row) {
                all.append(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value).append('\n');
            }
        }));
        return all.toString();
    }

    private static void overwriteToolSecret(Database db, UUID id, String value) {
        Columns columns = new Columns(db.dialect());
        Table<Record> tool = Columns.table("tool");
        db.transactions().write(dsl -> dsl.update(tool).set(columns.text(tool, "auth_secret"), value)
                .where(columns.uuid(tool, "id").eq(id)).execute());
    }
}
