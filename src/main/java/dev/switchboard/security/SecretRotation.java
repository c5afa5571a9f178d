package dev.switchboard.security;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Table;

/**
 * Re-encrypts every stored secret under a new key, in one transaction: all of them or none. Values already under
 * the new key are left alone, so running it again changes nothing. A value that decrypts under neither key stops
 * it before anything is written.
 */
public final class SecretRotation {

    /** What a rotation did, or would do on a dry run. */
    public record Outcome(int tools, int gateways, int environments, int alreadyCurrent, boolean dryRun) {

        public int reEncrypted() {
            return tools + gateways + environments;
        }

        /** "re-encrypted 4 secrets (2 tools, 1 gateway, 1 stdio environment); 0 already under the new key" */
        public String summary() {
            return (dryRun ? "would re-encrypt " : "re-encrypted ") + count(reEncrypted(), "secret") + " ("
                    + count(tools, "tool") + ", " + count(gateways, "gateway") + ", "
                    + count(environments, "stdio environment") + "); " + alreadyCurrent + " already under the new key";
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }

    /** A table that holds secrets, and how to name one of its rows in a message. */
    private record SecretColumn(Table<Record> table, Field<UUID> id, Field<String> secret, String noun) {
    }

    private record Change(SecretColumn column, UUID id, String stored, String reEncrypted) {
    }

    private final Transactions transactions;
    private final AesGcmSecretCipher newKey;
    private final Optional<AesGcmSecretCipher> oldKey;
    private final SecretColumn tools;
    private final SecretColumn gateways;
    private final SecretColumn environments;

    /**
     * @param newKey the cipher of the key every secret should end up under
     * @param oldKey the cipher of the key secrets are under now; empty when none is known
     */
    public SecretRotation(Transactions transactions, AesGcmSecretCipher newKey, Optional<AesGcmSecretCipher> oldKey) {
        this.transactions = transactions;
        this.newKey = newKey;
        this.oldKey = oldKey;
        Columns columns = new Columns(transactions.dialect());
        this.tools = column(columns, "tool", "auth_secret", "tool");
        this.gateways = column(columns, "upstream_gateway", "auth_secret", "upstream gateway");
        this.environments = column(columns, "upstream_gateway", "command_secret",
                "stdio environment of upstream gateway");
    }

    private static SecretColumn column(Columns columns, String tableName, String secretColumn, String noun) {
        Table<Record> table = Columns.table(tableName);
        return new SecretColumn(table, columns.uuid(table, "id"), columns.text(table, secretColumn), noun);
    }

    /**
     * Checks every stored secret and, unless {@code dryRun}, re-encrypts those under the old key.
     *
     * @throws SecretRotationException when a value decrypts under neither key; nothing is changed then
     */
    public Outcome run(boolean dryRun) {
        return transactions.write(dsl -> {
            List<Change> changes = new ArrayList<>();
            int[] current = new int[1];
            for (SecretColumn column : List.of(tools, gateways, environments)) {
                for (Record2<UUID, String> row : dsl.select(column.id(), column.secret()).from(column.table())
                        .where(column.secret().isNotNull()).orderBy(column.id()).fetch()) {
                    String reEncrypted = reEncrypt(column, row.value1(), row.value2());
                    if (reEncrypted == null) {
                        current[0]++;
                    } else {
                        changes.add(new Change(column, row.value1(), row.value2(), reEncrypted));
                    }
                }
            }
            if (!dryRun) {
                changes.forEach(change -> write(dsl, change));
                // In the same transaction: the registry is now sealed under the new key, and says so.
                new RegistrySettings(transactions).replace(dsl, RegistrySettings.SECRET_KEY_FINGERPRINT,
                        newKey.fingerprint());
            }
            int toolCount = (int) changes.stream().filter(c -> c.column() == tools).count();
            int environmentCount = (int) changes.stream().filter(c -> c.column() == environments).count();
            return new Outcome(toolCount, changes.size() - toolCount - environmentCount, environmentCount, current[0],
                    dryRun);
        });
    }

    /** The value under the new key, or null when it already is; throws when it decrypts under neither key. */
    private String reEncrypt(SecretColumn column, UUID id, String stored) {
        try {
            newKey.decrypt(stored);
            return null;
        } catch (SecretDecryptionException underAnotherKey) {
            // tried next under the old key
        }
        if (oldKey.isPresent()) {
            try {
                return newKey.encrypt(oldKey.get().decrypt(stored));
            } catch (SecretDecryptionException e) {
                // reported below, with both keys named
            }
        }
        String madeUnder = AesGcmSecretCipher.keyIdOf(stored).map(k -> "it was made under key " + k)
                .orElse("it is not a ciphertext this gateway can read");
        String tried = oldKey.isPresent()
                ? "decrypts under neither the new key " + newKey.keyId() + " nor the old key " + oldKey.get().keyId()
                : "does not decrypt under the new key " + newKey.keyId() + ", and no old key is set ("
                        + SecretKeySettings.OLD_KEY + ")";
        throw new SecretRotationException("the secret of " + column.noun() + " " + id + " (table "
                + column.table().getName() + ") " + tried + "; " + madeUnder + ". Nothing was changed.");
    }

    /**
     * Replaces one value, but only if it is still the value read: a gateway that wrote the row meanwhile wins, and
     * the whole rotation is undone rather than overwrite its write. The entry's version and updated_at stay as
     * they are, because what it means has not changed, and clients' optimistic locks should stay valid.
     */
    private static void write(DSLContext dsl, Change change) {
        SecretColumn c = change.column();
        int rows = dsl.update(c.table()).set(c.secret(), change.reEncrypted())
                .where(c.id().eq(change.id()).and(c.secret().eq(change.stored()))).execute();
        if (rows != 1) {
            throw new SecretRotationException("the secret of " + c.noun() + " " + change.id() + " (table "
                    + c.table().getName() + ") changed while it was being re-encrypted. Nothing was changed; run "
                    + "the rotation again.");
        }
    }
}
