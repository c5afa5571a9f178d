package dev.switchboard.security;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * Facts the registry keeps about itself in {@code registry_setting}, one row per name: which key its secrets are
 * sealed under, the hash of a generated administrator password. The first gateway to write a name wins; the others
 * read what it wrote.
 */
final class RegistrySettings {

    /** The fingerprint of the key stored secrets are sealed under ({@link SecretKeyFingerprint}). */
    static final String SECRET_KEY_FINGERPRINT = "secret_key_fingerprint";
    /** The adaptive hash of the administrator password generated at the first start. */
    static final String ADMIN_PASSWORD_HASH = "admin_password_hash";

    private final Transactions transactions;
    private final Table<Record> table = Columns.table("registry_setting");
    private final Field<String> name;
    private final Field<String> value;
    private final Field<Instant> updatedAt;

    RegistrySettings(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        name = c.text(table, "name");
        value = c.text(table, "value");
        updatedAt = c.timestamp(table, "updated_at");
    }

    /** The value stored under {@code key}, if any. */
    Optional<String> read(String key) {
        return transactions.read(dsl -> dsl.select(value).from(table).where(name.eq(key)).fetchOptional(value));
    }

    /**
     * Stores {@code candidate} under {@code key} unless a value is already there, and answers the value that is stored
     * afterwards: {@code candidate} when this call wrote it, or the value another gateway wrote first. One statement
     * (an insert that skips an existing key), so replicas starting at once never fail on each other.
     */
    String putIfAbsent(String key, String candidate) {
        return transactions.write(dsl -> {
            insertIfAbsent(dsl, key, candidate);
            return dsl.select(value).from(table).where(name.eq(key)).fetchSingle(value);
        });
    }

    /** Replaces the value under {@code key}, inside the caller's transaction; writing the same value changes nothing. */
    void replace(DSLContext dsl, String key, String newValue) {
        if (dsl.update(table).set(value, newValue).set(updatedAt, now()).where(name.eq(key).and(value.ne(newValue)))
                .execute() == 0) {
            insertIfAbsent(dsl, key, newValue);
        }
    }

    private void insertIfAbsent(DSLContext dsl, String key, String candidate) {
        transactions.dialect().insertIfAbsent(dsl.insertInto(table, name, value, updatedAt)
                .values(key, candidate, now()), name).execute();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
