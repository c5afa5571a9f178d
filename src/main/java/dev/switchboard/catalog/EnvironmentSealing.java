package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.security.SecretDecryptionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record4;
import org.jooq.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The data half of the changeset {@code 0.1.0-stdio_environment}: stdio upstreams stored by an older version hold
 * their environment values in clear inside the command document. Liquibase cannot seal them, since only the gateway
 * has the key, so the gateway does at startup, before it serves anything or starts an upstream: every such row gets
 * its values sealed into {@code command_secret} and its document reduced to the names, in one transaction. Rows
 * already sealed are left alone, so running it again changes nothing. A row's version and updated_at stay as they
 * are: what it means has not changed, and clients' optimistic locks stay valid.
 */
@Component
public class EnvironmentSealing implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(EnvironmentSealing.class);

    private final Transactions transactions;
    private final Credentials credentials;
    private final SchemaMigrator migrator;
    private final Table<Record> table = Columns.table("upstream_gateway");
    private final Field<UUID> id;
    private final Field<String> command;
    private final Field<String> commandSecret;
    private final Field<Long> version;

    /**
     * @param migrator tells whether the schema has the sealed column yet; null where the caller knows it has (the
     *                 command line checks the schema itself)
     */
    public EnvironmentSealing(Transactions transactions, Credentials credentials, SchemaMigrator migrator) {
        this.transactions = transactions;
        this.credentials = credentials;
        this.migrator = migrator;
        Columns columns = new Columns(transactions.dialect());
        this.id = columns.uuid(table, "id");
        this.command = columns.json(table, "command");
        this.commandSecret = columns.text(table, "command_secret");
        this.version = columns.bigint(table, "version");
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> pending = migrator == null ? List.of() : migrator.status().pending();
        if (!pending.isEmpty()) {
            // Migrations were handed to a job (SWITCHBOARD_SKIP_MIGRATIONS) that has not run yet: the gateway is
            // not ready, and the sealing waits for its next start (or `secrets rotate`).
            log.warn("Stored secrets: {} changeset(s) pending, so clear stdio environment values (if any) are not "
                    + "sealed at this start", pending.size());
            return;
        }
        int sealed = run(false);
        if (sealed > 0) {
            log.info("Stored secrets: sealed the clear environment values of {} stdio upstream(s)", sealed);
        }
    }

    /**
     * Seals every clear environment value found, unless {@code dryRun}; returns how many upstreams it changed (or
     * would change). A row written meanwhile (its version moved on) is left to that write, which stored it sealed.
     */
    public int run(boolean dryRun) {
        return transactions.write(dsl -> {
            int changed = 0;
            // Every row with a command: which ones hold clear values is told by reading the document in Java,
            // never by looking inside JSON in SQL.
            for (Record4<UUID, String, String, Long> row : dsl.select(id, command, commandSecret, version)
                    .from(table).where(command.isNotNull()).orderBy(id).fetch()) {
                CommandDocument document = CommandDocument.parse(row.value2());
                if (!document.holdsClearValues()) {
                    continue;
                }
                if (dryRun) {
                    changed++;
                    continue;
                }
                Map<String, String> values;
                try {
                    values = new LinkedHashMap<>(credentials.openEnvironment(row.value3()));
                } catch (SecretDecryptionException e) {
                    // Sealed values under a key this gateway lacks, beside clear ones: leave the row for an
                    // operator rather than drop either, and say so; everything else is still sealed.
                    log.warn("Stored secrets: upstream {} holds clear environment values, but its sealed ones do "
                            + "not open: {}", row.value1(), e.getMessage());
                    continue;
                }
                values.putAll(document.clearValues());
                CommandDocument names = CommandDocument.of(document.command(), document.args(),
                        document.envNames());
                changed += dsl.update(table).set(command, names.toJson())
                        .set(commandSecret, credentials.sealEnvironment(values))
                        .where(id.eq(row.value1()).and(version.eq(row.value4()))).execute();
            }
            return changed;
        });
    }
}
