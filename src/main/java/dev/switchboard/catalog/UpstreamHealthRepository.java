package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/**
 * What health checks learned about upstreams. The failure count lives in upstream_health, so that checks made by
 * different replicas add up; reachable and last_seen_at live on the upstream's own row. None of these writes raise
 * the upstream's version, so an operator's If-Match edit never conflicts with a health check. A flip of reachable
 * does move updated_at, which is what makes {@link CatalogRevision} (and so MCP list_changed) notice it.
 */
@Repository
public class UpstreamHealthRepository {

    /** The longest error text kept; the column holds more, but a health summary needs no stack of causes. */
    static final int MAX_ERROR = 500;

    /**
     * What one check changed.
     *
     * @param health the state after the check
     * @param flipped true when reachable changed with this check
     */
    public record Outcome(UpstreamHealth health, boolean reachable, boolean flipped) {
    }

    /** The health of one upstream as checks have seen it. */
    public record UpstreamHealth(UUID gatewayId, int consecutiveFailures, Instant lastCheckedAt, String lastError) {
    }

    private final Transactions transactions;
    private final Dialect dialect;
    private final Table<Record> health = Columns.table("upstream_health");
    private final Field<UUID> gatewayId;
    private final Field<Integer> failures;
    private final Field<Instant> lastCheckedAt;
    private final Field<String> lastError;
    private final Table<Record> gateway = Columns.table("upstream_gateway");
    private final Field<UUID> id;
    private final Field<Boolean> enabled;
    private final Field<Boolean> reachable;
    private final Field<Instant> lastSeenAt;
    private final Field<Instant> updatedAt;

    public UpstreamHealthRepository(Transactions transactions) {
        this.transactions = transactions;
        this.dialect = transactions.dialect();
        Columns c = new Columns(dialect);
        gatewayId = c.uuid(health, "gateway_id");
        failures = c.integer(health, "consecutive_failures");
        lastCheckedAt = c.timestamp(health, "last_checked_at");
        lastError = c.text(health, "last_error");
        id = c.uuid(gateway, "id");
        enabled = c.bool(gateway, "enabled");
        reachable = c.bool(gateway, "reachable");
        lastSeenAt = c.timestamp(gateway, "last_seen_at");
        updatedAt = c.timestamp(gateway, "updated_at");
    }

    /** The health of an upstream, or empty when it has not been checked yet. */
    public Optional<UpstreamHealth> find(UUID gateway) {
        return transactions.read(dsl -> Optional.ofNullable(dsl.select(gatewayId, failures, lastCheckedAt, lastError)
                .from(health).where(gatewayId.eq(gateway)).fetchOne(this::read)));
    }

    /** The ids of the enabled upstreams: the ones to check. */
    public Set<UUID> enabledGateways() {
        return new HashSet<>(transactions.read(dsl -> dsl.select(id).from(gateway).where(enabled.isTrue()).fetch(id)));
    }

    /** The ids of upstreams whose entries must not be served: disabled, or unreachable by the health checks. */
    public Set<UUID> unavailableGateways() {
        return new HashSet<>(transactions.read(dsl -> dsl.select(id).from(gateway)
                .where(enabled.isFalse().or(reachable.isFalse())).fetch(id)));
    }

    /** Whether calls to this upstream are worth making: it exists, is enabled and is reachable. */
    public boolean isAvailable(UUID gateway) {
        return transactions.read(dsl -> dsl.fetchExists(this.gateway,
                id.eq(gateway).and(enabled.isTrue()).and(reachable.isTrue())));
    }

    /** A check that got an answer: the count starts again, and the upstream is reachable and seen now. */
    public Optional<Outcome> recordSuccess(UUID gateway, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        return transactions.write(dsl -> {
            Boolean was = dsl.select(reachable).from(this.gateway).where(id.eq(gateway)).fetchOne(reachable);
            if (was == null) {
                return Optional.empty();
            }
            UpstreamHealth state = new UpstreamHealth(gateway, 0, now, null);
            save(dsl, state);
            var update = dsl.update(this.gateway).set(reachable, true).set(lastSeenAt, now);
            (was ? update : update.set(updatedAt, changedAt())).where(id.eq(gateway)).execute();
            return Optional.of(new Outcome(state, true, !was));
        });
    }

    /**
     * A check that failed: one more consecutive failure, and at {@code unreachableAfter} of them the upstream is
     * unreachable.
     */
    public Optional<Outcome> recordFailure(UUID gateway, Instant at, String error, int unreachableAfter) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        String shortError = error == null ? "unknown error"
                : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR - 1) + "…" : error;
        return transactions.write(dsl -> {
            Boolean was = dsl.select(reachable).from(this.gateway).where(id.eq(gateway)).fetchOne(reachable);
            if (was == null) {
                return Optional.empty();
            }
            // One replica checks an upstream at a time (the job's lease), so reading and then writing is safe.
            Integer before = dsl.select(failures).from(health).where(gatewayId.eq(gateway)).fetchOne(failures);
            UpstreamHealth state = new UpstreamHealth(gateway, (before == null ? 0 : before) + 1, now, shortError);
            save(dsl, state);
            boolean down = state.consecutiveFailures() >= unreachableAfter;
            if (down && was) {
                dsl.update(this.gateway).set(reachable, false).set(updatedAt, changedAt()).where(id.eq(gateway))
                        .execute();
            }
            return Optional.of(new Outcome(state, was && !down, was && down));
        });
    }

    /** A flip is a change of the entry, stamped like {@link CatalogRepository} stamps changes. */
    private static Instant changedAt() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private void save(DSLContext dsl, UpstreamHealth state) {
        Map<Field<?>, Object> row = new HashMap<>();
        row.put(gatewayId, state.gatewayId());
        row.put(failures, state.consecutiveFailures());
        row.put(lastCheckedAt, state.lastCheckedAt());
        row.put(lastError, state.lastError());
        // The gateway id is the table's only unique key, so an upsert that fires on any unique key cannot hit another.
        dialect.upsert(dsl, health, row, List.of(gatewayId), List.of(failures, lastCheckedAt, lastError)).execute();
    }

    private UpstreamHealth read(Record r) {
        return new UpstreamHealth(r.get(gatewayId), r.get(failures), r.get(lastCheckedAt), r.get(lastError));
    }
}
