package dev.switchboard.security;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.persistence.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/**
 * The {@code login_failure} table: failed logins per client, counted in windows every replica shares. Clients are
 * keyed by the SHA-256 of their address.
 */
@Repository
class LoginFailureRepository {

    private final Transactions transactions;
    private final Dialect dialect;
    private final Table<Record> table = Columns.table("login_failure");
    private final Field<String> clientHash;
    private final Field<Instant> windowStart;
    private final Field<Integer> failures;

    LoginFailureRepository(Transactions transactions) {
        this.transactions = transactions;
        this.dialect = transactions.dialect();
        Columns c = new Columns(dialect);
        clientHash = c.text(table, "client_hash");
        windowStart = c.timestamp(table, "window_start");
        failures = c.integer(table, "failures");
    }

    /**
     * Counts one failure of client {@code hash} at {@code now}, in its open window, or in a new one when its window
     * (of length {@code window}) has closed; returns the window after it.
     */
    LoginThrottle.Window record(String hash, Instant now, Duration window) {
        return transactions.write(dsl -> {
            int counted = dsl.update(table).set(failures, failures.plus(1)).where(clientHash.eq(hash))
                    .and(windowStart.gt(now.minus(window))).execute();
            if (counted == 0) {
                Map<Field<?>, Object> row = new HashMap<>();
                row.put(clientHash, hash);
                row.put(windowStart, now);
                row.put(failures, 1);
                // The client's hash is the table's only unique key, so an upsert that fires on any cannot hit another.
                dialect.upsert(dsl, table, row, List.of(clientHash), List.of(windowStart, failures)).execute();
            }
            return dsl.select(windowStart, failures).from(table).where(clientHash.eq(hash))
                    .fetchOne(r -> new LoginThrottle.Window(r.value1(), r.value2()));
        });
    }

    /** The clients with at least {@code limit} failures in a window opened after {@code since}: at most {@code max}. */
    Map<String, Instant> limited(Instant since, int limit, int max) {
        Map<String, Instant> limited = new HashMap<>();
        transactions.read(dsl -> dsl.select(clientHash, windowStart).from(table).where(failures.ge(limit))
                .and(windowStart.gt(since)).limit(max).fetch())
                .forEach(r -> limited.put(r.value1(), r.value2()));
        return limited;
    }

    /** Deletes the windows opened before {@code before}; returns how many. */
    int deleteBefore(Instant before) {
        return transactions.write(dsl -> dsl.deleteFrom(table).where(windowStart.lt(before)).execute());
    }
}
