package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.InsertValuesStep2;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** Stores virtual servers and what each one contains: tools, resources and prompts, through association tables. */
@Repository
public class VirtualServerRepository extends CatalogRepository<VirtualServer> {

    private final Members tools;
    private final Members resources;
    private final Members prompts;

    public VirtualServerRepository(Transactions transactions) {
        super(transactions, Mapping::new);
        Columns c = new Columns(transactions.dialect());
        this.tools = new Members(c, "virtual_server_tool", "tool_id");
        this.resources = new Members(c, "virtual_server_resource", "resource_id");
        this.prompts = new Members(c, "virtual_server_prompt", "prompt_id");
    }

    public Set<UUID> toolIds(UUID serverId) {
        return members(tools, serverId);
    }

    public Set<UUID> resourceIds(UUID serverId) {
        return members(resources, serverId);
    }

    public Set<UUID> promptIds(UUID serverId) {
        return members(prompts, serverId);
    }

    /** Makes {@code toolIds} exactly the server's tools; an unknown id fails the whole change. */
    public void setTools(UUID serverId, Collection<UUID> toolIds) {
        replace(tools, serverId, toolIds);
    }

    public void setResources(UUID serverId, Collection<UUID> resourceIds) {
        replace(resources, serverId, resourceIds);
    }

    public void setPrompts(UUID serverId, Collection<UUID> promptIds) {
        replace(prompts, serverId, promptIds);
    }

    private Set<UUID> members(Members members, UUID serverId) {
        return transactions().read(dsl -> new LinkedHashSet<>(dsl.select(members.member).from(members.table)
                .where(members.server.eq(serverId)).orderBy(members.member).fetch(members.member)));
    }

    private void replace(Members members, UUID serverId, Collection<UUID> memberIds) {
        transactions().write(dsl -> {
            requireExists(dsl, serverId);
            dsl.deleteFrom(members.table).where(members.server.eq(serverId)).execute();
            if (!memberIds.isEmpty()) {
                InsertValuesStep2<Record, UUID, UUID> insert = dsl.insertInto(members.table, members.server,
                        members.member);
                for (UUID id : new LinkedHashSet<>(memberIds)) {
                    insert = insert.values(serverId, id);
                }
                insert.execute();
            }
            return null;
        });
    }

    /** One association table: a virtual server and the entries it contains. */
    private static final class Members {
        final Table<Record> table;
        final Field<UUID> server;
        final Field<UUID> member;

        Members(Columns c, String tableName, String memberColumn) {
            table = Columns.table(tableName);
            server = c.uuid(table, "virtual_server_id");
            member = c.uuid(table, memberColumn);
        }
    }

    private static final class Mapping extends EntityMapping<VirtualServer> {
        final Field<String> description;
        final Field<String> iconUrl;

        Mapping(Columns c) {
            super(c, "virtual_server", "virtual_server_tag", "virtual_server_id");
            description = column(c.text(table, "description"));
            iconUrl = column(c.text(table, "icon_url"));
        }

        @Override
        String noun() {
            return "virtual server";
        }

        @Override
        Map<Field<?>, Object> values(VirtualServer s) {
            Map<Field<?>, Object> v = new HashMap<>();
            v.put(name, s.name());
            v.put(description, s.description());
            v.put(iconUrl, s.iconUrl());
            v.put(enabled, s.enabled());
            return v;
        }

        @Override
        VirtualServer read(Record r, Set<String> tags) {
            return new VirtualServer(r.get(id), r.get(name), r.get(description), r.get(iconUrl), r.get(enabled),
                    tags, r.get(createdAt), r.get(updatedAt), r.get(version));
        }
    }
}
