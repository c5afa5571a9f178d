package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.Table;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The discovery bookkeeping of one kind of federated entry (tool, resource, prompt): which entries an upstream
 * has, what it last sent for each, and whether discovery disabled one because it vanished. Writes go through the
 * kind's repository, so versions and updated_at move like those of every other catalog write.
 */
final class DiscoveredKind<T extends CatalogEntry> {

    /** A stored entry with what its upstream last sent for it (null before the first discovery that kept it). */
    record Stored<T>(T entry, Instant vanishedAt, JsonNode definition) {
    }

    private final CatalogRepository<T> repository;
    private final JsonMapper json;
    private final Table<Record> table;
    private final Field<UUID> id;
    private final Field<UUID> gatewayId;
    private final Field<Boolean> enabled;
    private final Field<Instant> vanishedAt;
    private final Field<String> definition;
    private final Field<Instant> updatedAt;
    private final Field<Long> version;

    DiscoveredKind(CatalogRepository<T> repository, String tableName, JsonMapper json) {
        Columns c = new Columns(repository.transactions().dialect());
        this.repository = repository;
        this.json = json;
        this.table = Columns.table(tableName);
        this.id = c.uuid(table, "id");
        this.gatewayId = c.uuid(table, "gateway_id");
        this.enabled = c.bool(table, "enabled");
        this.vanishedAt = c.timestamp(table, "vanished_at");
        this.definition = c.json(table, "upstream_definition");
        this.updatedAt = c.timestamp(table, "updated_at");
        this.version = c.bigint(table, "version");
    }

    /**
     * Whether the upstream sent the same definition as it did before, members in the same order. Numbers compare by
     * value (1e2 and 100.0 are one number, however a parser spells it back). Member order counts: clients show a
     * schema's properties in it, and a definition kept by PostgreSQL's jsonb (before json) lost it, so the next
     * discovery stores the upstream's order again.
     */
    static boolean same(JsonNode sent, JsonNode kept) {
        return kept != null && sent.equals(BY_VALUE, kept) && sameOrder(sent, kept);
    }

    private static boolean sameOrder(JsonNode a, JsonNode b) {
        if (a.isObject()) {
            // The names as lists: a key set's equals ignores order.
            if (!List.copyOf(a.propertyNames()).equals(List.copyOf(b.propertyNames()))) {
                return false;
            }
            for (String name : a.propertyNames()) {
                if (!sameOrder(a.get(name), b.get(name))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray()) {
            for (int i = 0; i < a.size(); i++) {
                if (!sameOrder(a.get(i), b.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        return a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
    };

    CatalogRepository<T> repository() {
        return repository;
    }

    /** Every entry of the upstream, with its discovery state. */
    List<Stored<T>> of(DSLContext dsl, UUID gateway) {
        Map<UUID, Record3<UUID, Instant, String>> state = new HashMap<>();
        dsl.select(id, vanishedAt, definition).from(table).where(gatewayId.eq(gateway)).fetch()
                .forEach(r -> state.put(r.value1(), r));
        return repository.findAllIn(dsl, state.keySet()).stream().map(e -> {
            Record3<UUID, Instant, String> r = state.get(e.id());
            return new Stored<>(e, r.value2(), r.value3() == null ? null : json.readTree(r.value3()));
        }).toList();
    }

    /** Stores a newly offered entry with what the upstream sent for it. */
    void insert(DSLContext dsl, T draft, JsonNode sent) {
        T created = repository.insertIn(dsl, draft);
        keep(dsl, created.id(), sent);
    }

    /** Replaces an entry whose definition changed or that came back; its version goes up. */
    void replace(DSLContext dsl, T changed, JsonNode sent) {
        repository.replaceIn(dsl, changed);
        keep(dsl, changed.id(), sent);
    }

    /** Disables an entry its upstream no longer offers, remembering that discovery did it. */
    void vanish(DSLContext dsl, UUID entry, Instant now) {
        dsl.update(table).set(enabled, false).set(vanishedAt, now).set(updatedAt, now)
                .set(version, version.plus(1)).where(id.eq(entry)).execute();
    }

    private void keep(DSLContext dsl, UUID entry, JsonNode sent) {
        dsl.update(table).set(definition, json.writeValueAsString(sent)).set(vanishedAt, (Instant) null)
                .where(id.eq(entry)).execute();
    }
}
