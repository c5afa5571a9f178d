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
 * A virtual server presents its tools by display name, so two of its tools may not share one. Checked inside
 * the transaction that changes a membership or a display name, so a clash rolls the change back.
 */
final class DisplayNames {

    private final Table<Record> members = Columns.table("virtual_server_tool");
    private final Field<UUID> server;
    private final Field<UUID> memberTool;
    private final Table<Record> tool = Columns.table("tool");
    private final Field<UUID> toolId;
    private final Field<String> displayName;

    DisplayNames(Columns c) {
        server = c.uuid(members, "virtual_server_id");
        memberTool = c.uuid(members, "tool_id");
        toolId = c.uuid(tool, "id");
        displayName = c.text(tool, "display_name");
    }

    /** Fails if any of {@code serverIds} now holds two tools with one display name. */
    void requireUnique(DSLContext dsl, Collection<UUID> serverIds, String field) {
        if (serverIds.isEmpty()) {
            return;
        }
        Record2<UUID, String> clash = dsl.select(server, displayName).from(members)
                .join(tool).on(toolId.eq(memberTool))
                .where(server.in(serverIds))
                .groupBy(server, displayName).having(DSL.count().gt(1))
                .limit(1).fetchOne();
        if (clash != null) {
            throw new NameTakenException(field, "the virtual server " + clash.value1()
                    + " would present two tools named '" + clash.value2() + "'");
        }
    }

    /** The virtual servers that contain the tool. */
    Collection<UUID> serversOf(DSLContext dsl, UUID tool) {
        return dsl.select(server).from(members).where(memberTool.eq(tool)).fetch(server);
    }
}
