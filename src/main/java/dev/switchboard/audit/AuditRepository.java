package dev.switchboard.audit;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.KeysetPosition;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * audit_event: written in batches by the metrics writer, read newest first by {@code GET /v1/audit}, deleted by
 * age.
 */
@Repository
public class AuditRepository {

    /** What a query asks for; null members do not filter. {@code after} is the last row of the previous page. */
    public record Query(String actor, String entityType, String entityId, String action, Instant since, Instant until,
                        KeysetPosition after, int limit) {
    }

    private final Transactions transactions;
    private final Table<Record> table = Columns.table("audit_event");
    private final Field<UUID> id;
    private final Field<Instant> occurredAt;
    private final Field<String> actor;
    private final Field<String> action;
    private final Field<String> entityType;
    private final Field<String> entityId;
    private final Field<String> entityName;
    private final Field<UUID> serverId;
    private final Field<String> outcome;
    private final Field<Long> durationUs;
    private final Field<String> before;
    private final Field<String> after;
    private final Field<String> arguments;
    private final List<Field<?>> all;

    public AuditRepository(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        id = c.uuid(table, "id");
        occurredAt = c.timestamp(table, "occurred_at");
        actor = c.text(table, "actor");
        action = c.text(table, "action");
        entityType = c.text(table, "entity_type");
        entityId = c.text(table, "entity_id");
        entityName = c.text(table, "entity_name");
        serverId = c.uuid(table, "server_id");
        outcome = c.text(table, "outcome");
        durationUs = c.bigint(table, "duration_us");
        before = c.json(table, "before_state");
        after = c.json(table, "after_state");
        arguments = c.json(table, "arguments");
        all = List.of(id, occurredAt, actor, action, entityType, entityId, entityName, serverId, outcome, durationUs,
                before, after, arguments);
    }

    /**
     * Writes {@code batch} in one transaction, as multi-row inserts within the engine's bind limit. Rows whose id is
     * already stored are skipped, so a batch written again after a commit whose outcome was unknown is stored once.
     */
    public void insert(List<AuditEvent> batch) {
        if (!batch.isEmpty()) {
            transactions.write(dsl -> {
                insert(dsl, batch);
                return null;
            });
        }
    }

    /** Writes {@code batch} as {@link #insert(List)} does, inside the caller's transaction. */
    public void insert(DSLContext dsl, List<AuditEvent> batch) {
        Dialect dialect = transactions.dialect();
        int perStatement = Math.max(1, Math.min(500, dialect.maxBindParameters() / all.size()));
        for (int from = 0; from < batch.size(); from += perStatement) {
            InsertValuesStepN<Record> insert = dsl.insertInto(table, all);
            for (AuditEvent e : batch.subList(from, Math.min(batch.size(), from + perStatement))) {
                insert = insert.values(e.id(), e.occurredAt(), e.actor(), e.action(), e.entityType(), e.entityId(),
                        e.entityName(), e.serverId(), e.outcome(), e.durationUs(), e.before(), e.after(),
                        e.arguments());
            }
            dialect.insertIfAbsent(insert, id).execute();
        }
    }

    /** Up to {@code query.limit()} rows, newest first (ties by id, descending), after {@code query.after()}. */
    public List<AuditEvent> find(Query query) {
        List<Condition> where = new ArrayList<>();
        if (query.actor() != null) {
            where.add(actor.eq(query.actor()));
        }
        if (query.entityType() != null) {
            where.add(entityType.eq(query.entityType()));
        }
        if (query.entityId() != null) {
            where.add(entityId.eq(query.entityId()));
        }
        if (query.action() != null) {
            where.add(action.eq(query.action()));
        }
        if (query.since() != null) {
            where.add(occurredAt.ge(query.since()));
        }
        if (query.until() != null) {
            where.add(occurredAt.lt(query.until()));
        }
        KeysetPosition last = query.after();
        if (last != null) {
            where.add(occurredAt.lt(last.at()).or(occurredAt.eq(last.at()).and(id.lt(last.id()))));
        }
        return transactions.read(dsl -> dsl.select(all).from(table).where(DSL.and(where))
                .orderBy(occurredAt.desc(), id.desc()).limit(query.limit()).fetch(r -> new AuditEvent(r.get(id),
                        r.get(occurredAt), r.get(actor), r.get(action), r.get(entityType), r.get(entityId),
                        r.get(entityName), r.get(serverId), r.get(outcome), r.get(durationUs), r.get(before),
                        r.get(after), r.get(arguments))));
    }

    /**
     * Deletes rows older than {@code cutoff}, {@code chunk} at a time: each chunk's ids are read first, so no
     * statement selects from the table it deletes from. Returns how many were deleted.
     */
    public long deleteBefore(Instant cutoff, int chunk) {
        long deleted = 0;
        while (true) {
            List<UUID> ids = transactions.read(dsl -> dsl.select(id).from(table).where(occurredAt.lt(cutoff))
                    .orderBy(occurredAt).limit(chunk).fetch(id));
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
