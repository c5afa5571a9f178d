package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * How one kind of catalog entry maps onto its table and its tag link table. {@link CatalogRepository} does
 * everything else, the same way for every kind.
 */
abstract class EntityMapping<T extends CatalogEntry> {

    final Table<Record> table;
    final Field<UUID> id;
    final Field<String> name;
    final Field<Boolean> enabled;
    final Field<Instant> createdAt;
    final Field<Instant> updatedAt;
    final Field<Long> version;
    /** The owning team's id; written with the entity's own columns, on create and on update. */
    final Field<UUID> team;
    final Table<Record> tagLink;
    final Field<UUID> tagLinkEntity;
    final Field<UUID> tagLinkTag;
    private final List<Field<?>> fields = new ArrayList<>();

    EntityMapping(Columns columns, String tableName, String tagLinkTable, String tagLinkColumn) {
        this.table = Columns.table(tableName);
        this.id = columns.uuid(table, "id");
        this.name = columns.text(table, "name");
        this.enabled = columns.bool(table, "enabled");
        this.createdAt = columns.timestamp(table, "created_at");
        this.updatedAt = columns.timestamp(table, "updated_at");
        this.version = columns.bigint(table, "version");
        this.team = columns.uuid(table, "team_id");
        this.tagLink = Columns.table(tagLinkTable);
        this.tagLinkEntity = columns.uuid(tagLink, tagLinkColumn);
        this.tagLinkTag = columns.uuid(tagLink, "tag_id");
        fields.addAll(List.of(id, name, enabled, createdAt, updatedAt, version, team));
    }

    /** Registers one of the entity's own columns, so that reads select it with its binding. */
    final <F extends Field<?>> F column(F field) {
        fields.add(field);
        return field;
    }

    /** Every column of the table, each with its binding: reads select these, never "*". */
    final List<Field<?>> fields() {
        return fields;
    }

    /** A word for messages: "tool", "virtual server". */
    abstract String noun();

    /**
     * The entity's own columns: everything but id, team_id, created_at, updated_at and version, which the
     * repository sets.
     */
    abstract Map<Field<?>, Object> values(T entity);

    /** {@link #values} and the owning team: what a create writes. */
    final Map<Field<?>, Object> rowValues(T entity) {
        Map<Field<?>, Object> values = new HashMap<>(values(entity));
        values.put(team, entity.teamId());
        return values;
    }

    /**
     * Columns written when an entry is created and never by an update, because another writer owns them: an
     * upstream's reachability belongs to the health checks, so an edit made from an older read cannot undo a flip.
     */
    List<Field<?>> createOnlyFields() {
        return List.of();
    }

    /** {@link #rowValues} without the {@link #createOnlyFields}: what an update writes. */
    final Map<Field<?>, Object> updateValues(T entity) {
        Map<Field<?>, Object> values = rowValues(entity);
        createOnlyFields().forEach(values::remove);
        return values;
    }

    /** The entries that members of {@code teams} see: by default, those their teams own. */
    Condition visibleTo(Set<UUID> teams) {
        return teams.isEmpty() ? DSL.falseCondition() : team.in(teams);
    }

    /** Builds the entity from a row of its table and its tags. */
    abstract T read(Record row, Set<String> tags);

    /** Writes rows that belong to the entity in other tables (prompt arguments); runs in the same transaction. */
    void writeChildren(DSLContext dsl, UUID id, T entity) {
    }

    /**
     * For entries discovery keeps: when discovery disabled the entry because its upstream stopped offering it.
     * Null for kinds that discovery does not keep. Not among {@link #fields()}: only discovery and the operator's
     * on/off switch write it.
     */
    Field<Instant> vanishedAt() {
        return null;
    }

    /** The columns whose values must be unique across the table, besides the id. */
    List<Field<?>> uniqueFields() {
        return List.of(name);
    }

    /** Checks rules that span rows, inside the writing transaction; a violation rolls the write back. */
    void checkAfterWrite(DSLContext dsl, UUID id) {
    }

    /** Completes entities read from their table with rows from other tables; one query for the whole list. */
    List<T> withChildren(DSLContext dsl, List<T> entities) {
        return entities;
    }
}
