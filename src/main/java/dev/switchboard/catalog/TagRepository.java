package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
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

    private static final String[][] LINKS = {{"upstream_gateway_tag", "gateway_id"}, {"tool_tag", "tool_id"},
            {"resource_tag", "resource_id"}, {"prompt_tag", "prompt_id"},
            {"virtual_server_tag", "virtual_server_id"}};

    private final Transactions transactions;
    private final Columns columns;

    public TagRepository(Transactions transactions) {
        this.transactions = transactions;
        this.columns = new Columns(transactions.dialect());
    }

    /** A tag and the number of entries that carry it. */
    public record TagUsage(String name, long entries) {
    }

    /** Every tag that at least one entry carries, in name order. */
    public List<TagUsage> inUse() {
        Table<Record> tag = Columns.table("tag");
        Field<UUID> tagId = columns.uuid(tag, "id");
        Field<String> tagName = columns.text(tag, "name");
        Select<Record1<UUID>> links = null;
        for (String[] link : LINKS) {
            Table<Record> table = Columns.table(link[0]);
            Select<Record1<UUID>> select = DSL.select(columns.uuid(table, "tag_id").as("tag_id")).from(table);
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
