package dev.switchboard.observability;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** invocation_metric_hourly: one row per entity and hour, written idempotently by the rollup job. */
@Repository
class HourlyRollupRepository {

    /** One rolled-up hour of one entity. */
    record Rollup(EntityType type, UUID entityId, Instant hourStart, long calls, long failures, long sumUs, long maxUs,
                  long p50Us, long p95Us, long p99Us, LatencyHistogram histogram) {
    }

    private final Transactions transactions;
    private final Dialect dialect;
    private final JsonMapper json;
    private final Table<Record> table = Columns.table("invocation_metric_hourly");
    private final Field<String> entityType;
    private final Field<UUID> entityId;
    private final Field<Instant> hourStart;
    private final Field<Long> callCount;
    private final Field<Long> failureCount;
    private final Field<Long> durationSum;
    private final Field<Long> durationMax;
    private final Field<Long> p50;
    private final Field<Long> p95;
    private final Field<Long> p99;
    private final Field<String> histogram;
    private final Field<Instant> updatedAt;

    HourlyRollupRepository(Transactions transactions, JsonMapper json) {
        this.transactions = transactions;
        this.dialect = transactions.dialect();
        this.json = json;
        Columns c = new Columns(dialect);
        entityType = c.text(table, "entity_type");
        entityId = c.uuid(table, "entity_id");
        hourStart = c.timestamp(table, "hour_start");
        callCount = c.bigint(table, "call_count");
        failureCount = c.bigint(table, "failure_count");
        durationSum = c.bigint(table, "duration_sum_us");
        durationMax = c.bigint(table, "duration_max_us");
        p50 = c.bigint(table, "p50_us");
        p95 = c.bigint(table, "p95_us");
        p99 = c.bigint(table, "p99_us");
        histogram = c.json(table, "histogram");
        updatedAt = c.timestamp(table, "updated_at");
    }

    /** Writes the rollups of one hour in one transaction, replacing what an earlier run wrote for them. */
    void save(List<Rollup> rollups, Instant now) {
        if (rollups.isEmpty()) {
            return;
        }
        List<Field<?>> key = List.of(entityType, entityId, hourStart);
        List<Field<?>> updates = List.of(callCount, failureCount, durationSum, durationMax, p50, p95, p99, histogram,
                updatedAt);
        transactions.write(dsl -> {
            for (Rollup r : rollups) {
                Map<Field<?>, Object> row = new HashMap<>();
                row.put(entityType, r.type().code());
                row.put(entityId, r.entityId());
                row.put(hourStart, r.hourStart());
                row.put(callCount, r.calls());
                row.put(failureCount, r.failures());
                row.put(durationSum, r.sumUs());
                row.put(durationMax, r.maxUs());
                row.put(p50, r.p50Us());
                row.put(p95, r.p95Us());
                row.put(p99, r.p99Us());
                row.put(histogram, json.writeValueAsString(r.histogram().toJson()));
                row.put(updatedAt, now);
                dialect.upsert(dsl, table, row, key, updates).execute();
            }
            return null;
        });
    }

    /** The start of the latest hour rolled up, or null when none is. */
    Instant latestHour() {
        return transactions.read(dsl -> dsl.select(DSL.max(hourStart)).from(table).fetchOne(r -> r.value1()));
    }

    /** Every rollup of an hour in [{@code from}, {@code to}), of {@code type} only when it is not null. */
    void forEach(Instant from, Instant to, EntityType type, Consumer<Rollup> action) {
        Condition where = hourStart.ge(from).and(hourStart.lt(to));
        if (type != null) {
            where = where.and(entityType.eq(type.code()));
        }
        Condition condition = where;
        transactions.read(dsl -> {
            dsl.select(entityType, entityId, hourStart, callCount, failureCount, durationSum, durationMax, p50, p95,
                    p99, histogram).from(table).where(condition).fetch().forEach(r -> {
                        EntityType t = EntityType.ofCode(r.get(entityType));
                        if (t != null) {
                            String h = r.get(histogram);
                            action.accept(new Rollup(t, r.get(entityId), r.get(hourStart), r.get(callCount),
                                    r.get(failureCount), r.get(durationSum), r.get(durationMax), r.get(p50),
                                    r.get(p95), r.get(p99), LatencyHistogram.fromJson(h == null ? null : json.readTree(h))));
                        }
                    });
            return null;
        });
    }

    /** Deletes rollups of hours before {@code cutoff}, one hour at a time (an hour holds one row per entity). */
    long deleteBefore(Instant cutoff) {
        long deleted = 0;
        while (true) {
            List<Instant> hours = transactions.read(dsl -> dsl.selectDistinct(hourStart).from(table)
                    .where(hourStart.lt(cutoff)).orderBy(hourStart).limit(24).fetch(hourStart));
            if (hours.isEmpty()) {
                return deleted;
            }
            for (Instant hour : hours) {
                deleted += transactions.write(dsl -> dsl.deleteFrom(table).where(hourStart.eq(hour)).execute());
            }
        }
    }
}
