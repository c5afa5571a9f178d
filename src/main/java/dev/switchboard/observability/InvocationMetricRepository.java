package dev.switchboard.observability;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep7;
import org.jooq.Record;
import org.jooq.Record4;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Raw invocation rows: written in batches by the metrics writer, read by rollups and reports, deleted by age. */
@Repository
public class InvocationMetricRepository {

    /** One raw row as reports need it. */
    public record Row(EntityType type, UUID entityId, long durationUs, boolean success) {
    }

    private final Transactions transactions;
    private final Table<Record> table = Columns.table("invocation_metric");
    private final Field<UUID> id;
    private final Field<String> entityType;
    private final Field<UUID> entityId;
    private final Field<Instant> startedAt;
    private final Field<Long> durationUs;
    private final Field<Boolean> success;
    private final Field<String> errorType;

    public InvocationMetricRepository(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        id = c.uuid(table, "id");
        entityType = c.text(table, "entity_type");
        entityId = c.uuid(table, "entity_id");
        startedAt = c.timestamp(table, "started_at");
        durationUs = c.bigint(table, "duration_us");
        success = c.bool(table, "success");
        errorType = c.text(table, "error_type");
    }

    /**
     * Writes {@code batch} in one transaction, as multi-row inserts no larger than the engine's bind limit. A row
     * whose id is already stored is skipped, so a batch written again (after a commit whose outcome was unknown)
     * stores each invocation once.
     */
    public void insert(List<Invocation> batch) {
        if (!batch.isEmpty()) {
            transactions.write(dsl -> {
                insert(dsl, batch);
                return null;
            });
        }
    }

    /** Writes {@code batch} as {@link #insert(List)} does, inside the caller's transaction. */
    void insert(DSLContext dsl, List<Invocation> batch) {
        Dialect dialect = transactions.dialect();
        // Rows of fixed size (about 150 bytes): 5000 make well under a megabyte, within any server's packet limit,
        // and a backlog is written in few round trips.
        int perStatement = Math.max(1, Math.min(InvocationMetricWriter.MAX_BATCH, dialect.maxBindParameters() / 7));
        for (int from = 0; from < batch.size(); from += perStatement) {
            InsertValuesStep7<Record, UUID, String, UUID, Instant, Long, Boolean, String> insert =
                    dsl.insertInto(table, id, entityType, entityId, startedAt, durationUs, success, errorType);
            for (Invocation i : batch.subList(from, Math.min(batch.size(), from + perStatement))) {
                insert = insert.values(i.id(), i.type().code(), i.entityId(), i.startedAt(), i.durationUs(),
                        i.success(), i.errorType());
            }
            dialect.insertIfAbsent(insert, id).execute();
        }
    }

    /** Streams the rows started in [{@code from}, {@code to}), of {@code type} only when it is not null. */
    public void forEach(Instant from, Instant to, EntityType type, Consumer<Row> action) {
        Condition where = startedAt.ge(from).and(startedAt.lt(to));
        if (type != null) {
            where = where.and(entityType.eq(type.code()));
        }
        Condition condition = where;
        transactions.read(dsl -> {
            try (Cursor<Record4<String, UUID, Long, Boolean>> rows = dsl.select(entityType, entityId, durationUs, success)
                    .from(table).where(condition).fetchSize(1000).fetchLazy()) {
                for (Record4<String, UUID, Long, Boolean> r : rows) {
                    EntityType t = EntityType.ofCode(r.value1());
                    if (t != null) {
                        action.accept(new Row(t, r.value2(), r.value3(), Boolean.TRUE.equals(r.value4())));
                    }
                }
            }
            return null;
        });
    }

    /** When the earliest stored invocation started, or null when there is none. */
    public Instant earliest() {
        return transactions.read(dsl -> dsl.select(DSL.min(startedAt)).from(table).fetchOne(r -> r.value1()));
    }

    /** How many rows exist, for tests and diagnostics. */
    public long count() {
        return transactions.read(dsl -> dsl.fetchCount(table));
    }

    /**
     * Deletes rows started before {@code cutoff}, {@code chunk} at a time: each chunk's ids are read first, so no
     * statement selects from the table it deletes from. Returns how many were deleted.
     */
    public long deleteBefore(Instant cutoff, int chunk) {
        long deleted = 0;
        while (true) {
            List<UUID> ids = transactions.read(dsl -> dsl.select(id).from(table).where(startedAt.lt(cutoff))
                    .orderBy(startedAt).limit(chunk).fetch(id));
            if (ids.isEmpty()) {
                return deleted;
            }
            deleted += transactions.write(dsl -> dsl.deleteFrom(table).where(id.in(ids)).execute());
            if (ids.size() < chunk) {
                return deleted;
            }
        }
    }
}
