package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.security.TeamAccess;
import java.util.List;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** The tags in use across every kind of catalog entry, with how many entries carry each. */
@Repository
public class TagRepository {

    private final Transactions transactions;
    private final Columns columns;
    private final List<CatalogRepository<?>> kinds;

    public TagRepository(Transactions transactions, List<CatalogRepository<?>> kinds) {
        this.transactions = transactions;
        this.columns = new Columns(transactions.dialect());
        this.kinds = List.copyOf(kinds);
    }

    /** A tag and the number of entries that carry it. */
    public record TagUsage(String name, long entries) {
    }

    /**
     * Every tag that at least one entry a caller with {@code access} sees carries, in name order, counting those
     * entries only: a member learns nothing of other teams' entries from their tags.
     */
    public List<TagUsage> inUse(TeamAccess access) {
        Table<Record> tag = Columns.table("tag");
        Field<UUID> tagId = columns.uuid(tag, "id");
        Field<String> tagName = columns.text(tag, "name");
        Select<Record1<UUID>> links = null;
        for (CatalogRepository<?> kind : kinds) {
            Select<Record1<UUID>> select = kind.tagLinksVisibleTo(access);
            links = links == null ? select : links.unionAll(select);
        }
        Table<?> used = links.asTable("used");
        Field<UUID> usedTag = used.field("tag_id", UUID.class);
        Field<Integer> count = DSL.count();
        return transactions.read(dsl -> dsl.select(tagName, count).from(tag).join(used).on(tagId.eq(usedTag))
                .groupBy(tagName).orderBy(tagName)
                .fetch(r -> new TagUsage(r.value1(), r.value2())));
    }
}
