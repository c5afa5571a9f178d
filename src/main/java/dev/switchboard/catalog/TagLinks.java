package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Dialect;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep2;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Table;

/** Tags live in one table and reach each kind of entry through a link table, so they can be filtered in SQL. */
final class TagLinks {

    final Table<Record> tag = Columns.table("tag");
    final Field<UUID> tagId;
    final Field<String> tagName;
    private final Field<Instant> tagCreatedAt;
    private final Dialect dialect;

    TagLinks(Columns columns, Dialect dialect) {
        this.tagId = columns.uuid(tag, "id");
        this.tagName = columns.text(tag, "name");
        this.tagCreatedAt = columns.timestamp(tag, "created_at");
        this.dialect = dialect;
    }

    /** Makes {@code tags} exactly the entry's tags, creating tags that do not exist yet. */
    void replace(DSLContext dsl, EntityMapping<?> m, UUID entityId, Set<String> tags, Instant now) {
        dsl.deleteFrom(m.tagLink).where(m.tagLinkEntity.eq(entityId)).execute();
        if (tags.isEmpty()) {
            return;
        }
        for (String name : tags) {
            Map<Field<?>, Object> row = new HashMap<>();
            row.put(tagId, UUID.randomUUID());
            row.put(tagName, name);
            row.put(tagCreatedAt, now);
            dialect.upsert(dsl, tag, row, List.of(tagName), List.of()).execute();
        }
        List<UUID> ids = dsl.select(tagId).from(tag).where(tagName.in(tags)).fetch(tagId);
        InsertValuesStep2<Record, UUID, UUID> links = dsl.insertInto(m.tagLink, m.tagLinkEntity, m.tagLinkTag);
        for (UUID id : ids) {
            links = links.values(entityId, id);
        }
        links.execute();
    }

    /** The tags of each of {@code entityIds}, in one query. */
    Map<UUID, Set<String>> load(DSLContext dsl, EntityMapping<?> m, Collection<UUID> entityIds) {
        Map<UUID, Set<String>> byEntity = new HashMap<>();
        if (entityIds.isEmpty()) {
            return byEntity;
        }
        for (Record2<UUID, String> r : dsl.select(m.tagLinkEntity, tagName).from(m.tagLink)
                .join(tag).on(m.tagLinkTag.eq(tagId))
                .where(m.tagLinkEntity.in(entityIds)).fetch()) {
            byEntity.computeIfAbsent(r.value1(), k -> new TreeSet<>()).add(r.value2());
        }
        return byEntity;
    }
}
