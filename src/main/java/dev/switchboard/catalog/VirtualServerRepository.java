package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.persistence.StaleVersionException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
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
    private final DisplayNames displayNames;
    private final Table<Record> serverTable = Columns.table("virtual_server");
    private final Field<UUID> serverId;
    private final Field<Long> serverVersion;
    private final Field<Instant> serverUpdatedAt;

    public VirtualServerRepository(Transactions transactions) {
        super(transactions, Mapping::new);
        Columns c = new Columns(transactions.dialect());
        this.tools = new Members(c, "virtual_server_tool", "tool_id");
        this.resources = new Members(c, "virtual_server_resource", "resource_id");
        this.prompts = new Members(c, "virtual_server_prompt", "prompt_id");
        this.displayNames = new DisplayNames(c);
        this.serverId = c.uuid(serverTable, "id");
        this.serverVersion = c.bigint(serverTable, "version");
        this.serverUpdatedAt = c.timestamp(serverTable, "updated_at");
    }

    public Set<UUID> toolIds(UUID serverId) {
        return memberIds(serverId, MemberKind.TOOLS);
    }

    public Set<UUID> resourceIds(UUID serverId) {
        return memberIds(serverId, MemberKind.RESOURCES);
    }

    public Set<UUID> promptIds(UUID serverId) {
        return memberIds(serverId, MemberKind.PROMPTS);
    }

    /** The kinds of entry a virtual server contains. */
    public enum MemberKind {
        TOOLS, RESOURCES, PROMPTS
    }

    /** The ids of the server's members of one kind, in id order. */
    public Set<UUID> memberIds(UUID serverId, MemberKind kind) {
        return transactions().read(dsl -> membersIn(dsl, serverId, kind));
    }

    /** Makes {@code toolIds} exactly the server's tools; an unknown id fails the whole change. */
    public void setTools(UUID serverId, Collection<UUID> toolIds) {
        setMembers(serverId, MemberKind.TOOLS, toolIds, null);
    }

    public void setResources(UUID serverId, Collection<UUID> resourceIds) {
        setMembers(serverId, MemberKind.RESOURCES, resourceIds, null);
    }

    public void setPrompts(UUID serverId, Collection<UUID> promptIds) {
        setMembers(serverId, MemberKind.PROMPTS, promptIds, null);
    }

    /**
     * Makes {@code memberIds} exactly the server's members of {@code kind}, and counts as a change of the server:
     * its version goes up. With {@code expectedVersion} the change happens only if the server is still at it.
     * An unknown id, or two tools with one display name, fails the whole change.
     */
    public VirtualServer setMembers(UUID serverId, MemberKind kind, Collection<UUID> memberIds, Long expectedVersion) {
        Members members = table(kind);
        return transactions().write(dsl -> {
            touch(dsl, serverId, expectedVersion);
            dsl.deleteFrom(members.table).where(members.server.eq(serverId)).execute();
            insert(dsl, members, serverId, new LinkedHashSet<>(memberIds));
            return checked(dsl, serverId, kind);
        });
    }

    /** Adds one member, or does nothing if it is one already; the server's version goes up when it changes. */
    public VirtualServer addMember(UUID serverId, MemberKind kind, UUID memberId, Long expectedVersion) {
        Members members = table(kind);
        return transactions().write(dsl -> {
            touch(dsl, serverId, expectedVersion);
            if (!dsl.fetchExists(members.table, members.server.eq(serverId).and(members.member.eq(memberId)))) {
                insert(dsl, members, serverId, Set.of(memberId));
            }
            return checked(dsl, serverId, kind);
        });
    }

    /** Removes one member; false when it was not a member. */
    public boolean removeMember(UUID serverId, MemberKind kind, UUID memberId, Long expectedVersion) {
        Members members = table(kind);
        return transactions().write(dsl -> {
            touch(dsl, serverId, expectedVersion);
            return dsl.deleteFrom(members.table)
                    .where(members.server.eq(serverId).and(members.member.eq(memberId))).execute() == 1;
        });
    }

    /** Makes {@code memberIds} the server's members of {@code kind} inside the caller's transaction. */
    void replaceMembersIn(DSLContext dsl, UUID serverId, MemberKind kind, Collection<UUID> memberIds) {
        Members members = table(kind);
        dsl.deleteFrom(members.table).where(members.server.eq(serverId)).execute();
        insert(dsl, members, serverId, new LinkedHashSet<>(memberIds));
        if (kind == MemberKind.TOOLS) {
            displayNames.requireUnique(dsl, List.of(serverId), "tools");
        }
    }

    /** The server's members of {@code kind}, read inside the caller's transaction, in id order. */
    Set<UUID> membersIn(DSLContext dsl, UUID serverId, MemberKind kind) {
        Members members = table(kind);
        return new LinkedHashSet<>(dsl.select(members.member).from(members.table)
                .where(members.server.eq(serverId)).orderBy(members.member).fetch(members.member));
    }

    private Members table(MemberKind kind) {
        return switch (kind) {
            case TOOLS -> tools;
            case RESOURCES -> resources;
            case PROMPTS -> prompts;
        };
    }


    /** Bumps the server's version, checking it first when asked; fails if the server does not exist. */
    private void touch(DSLContext dsl, UUID id, Long expectedVersion) {
        var update = dsl.update(serverTable).set(serverVersion, serverVersion.plus(1)).set(serverUpdatedAt, now());
        int rows = expectedVersion == null
                ? update.where(serverId.eq(id)).execute()
                : update.where(serverId.eq(id).and(serverVersion.eq(expectedVersion))).execute();
        if (rows == 0) {
            requireExists(dsl, id);
            throw new StaleVersionException("the virtual server " + id + " is not at version " + expectedVersion);
        }
    }

    private static void insert(DSLContext dsl, Members members, UUID serverId, Set<UUID> memberIds) {
        if (memberIds.isEmpty()) {
            return;
        }
        InsertValuesStep2<Record, UUID, UUID> insert = dsl.insertInto(members.table, members.server, members.member);
        for (UUID id : memberIds) {
            insert = insert.values(serverId, id);
        }
        insert.execute();
    }

    private VirtualServer checked(DSLContext dsl, UUID serverId, MemberKind kind) {
        if (kind == MemberKind.TOOLS) {
            displayNames.requireUnique(dsl, List.of(serverId), "ids");
        }
        return fetchIn(dsl, serverId);
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
