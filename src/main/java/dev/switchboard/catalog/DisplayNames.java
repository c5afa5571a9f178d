package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import java.util.Collection;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * A virtual server presents its tools and its prompts by display name, so two of its tools (or two of its prompts)
 * may not share one. Checked inside the transaction that changes a membership or a display name, so a clash rolls
 * the change back.
 */
final class DisplayNames {

    private final String noun;
    private final Table<Record> members;
    private final Field<UUID> server;
    private final Field<UUID> member;
    private final Table<Record> entries;
    private final Field<UUID> entryId;
    private final Field<String> displayName;

    private DisplayNames(Columns c, String noun, String entryTable, String memberTable, String memberColumn) {
        this.noun = noun;
        members = Columns.table(memberTable);
        server = c.uuid(members, "virtual_server_id");
        member = c.uuid(members, memberColumn);
        entries = Columns.table(entryTable);
        entryId = c.uuid(entries, "id");
        displayName = c.text(entries, "display_name");
    }

    static DisplayNames ofTools(Columns c) {
        return new DisplayNames(c, "tools", "tool", "virtual_server_tool", "tool_id");
    }

    static DisplayNames ofPrompts(Columns c) {
        return new DisplayNames(c, "prompts", "prompt", "virtual_server_prompt", "prompt_id");
    }

    /** Fails if any of {@code serverIds} now holds two entries of this kind with one display name. */
    void requireUnique(DSLContext dsl, Collection<UUID> serverIds, String field) {
        if (serverIds.isEmpty()) {
            return;
        }
        Record2<UUID, String> clash = dsl.select(server, displayName).from(members)
                .join(entries).on(entryId.eq(member))
                .where(server.in(serverIds))
                .groupBy(server, displayName).having(DSL.count().gt(1))
                .limit(1).fetchOne();
        if (clash != null) {
            throw new NameTakenException(field, "the virtual server " + clash.value1()
                    + " would present two " + noun + " named '" + clash.value2() + "'");
        }
    }

    /** The virtual servers that contain the entry. */
    Collection<UUID> serversOf(DSLContext dsl, UUID entry) {
        return dsl.select(server).from(members).where(member.eq(entry)).fetch(server);
    }
}
