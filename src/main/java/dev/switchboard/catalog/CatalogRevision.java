package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * A cheap fingerprint of the whole catalog that changes whenever any entry is created, changed or deleted, by
 * this process or by another replica on the same database. Watchers compare it between polls to learn that it
 * is worth looking closer, without reading every entry on every poll.
 */
@Repository
public class CatalogRevision {

    // Every write raises an entry's version and updated_at; a delete lowers the count. Together they move on any
    // change: an update raises the sum of versions, and a delete plus an insert raises the latest updated_at.
    private static final List<String> TABLES = List.of("upstream_gateway", "tool", "resource", "prompt",
            "virtual_server");

    private final Transactions transactions;
    private final Columns columns;

    public CatalogRevision(Transactions transactions) {
        this.transactions = transactions;
        this.columns = new Columns(transactions.dialect());
    }

    /** An opaque text that is equal for two reads exactly when no entry changed in between. */
    public String current() {
        Select<Record3<Integer, Long, Instant>> all = null;
        for (String name : TABLES) {
            Table<Record> table = Columns.table(name);
            Field<Long> version = columns.bigint(table, "version");
            Field<Instant> updatedAt = columns.timestamp(table, "updated_at");
            Select<Record3<Integer, Long, Instant>> one = DSL.select(DSL.count(),
                    DSL.coalesce(DSL.sum(version), DSL.inline(BigDecimal.ZERO)).cast(Long.class),
                    DSL.max(updatedAt)).from(table);
            all = all == null ? one : all.unionAll(one);
        }
        Select<Record3<Integer, Long, Instant>> query = all;
        List<String> parts = new ArrayList<>();
        transactions.read(dsl -> dsl.fetch(query)).forEach(r -> parts.add(r.value1() + "/" + r.value2() + "/"
                + r.value3()));
        return String.join(";", parts);
    }
}
