package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.persistence.StaleVersionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep2;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Stores virtual servers and what each one contains: tools, resources and prompts, through association tables. */
@Repository
public class VirtualServerRepository extends CatalogRepository<VirtualServer> {

    private final Members tools;
    private final Members resources;
    private final Members prompts;
    private final DisplayNames displayNames;
    private final Map<MemberKind, Entries> entries = new EnumMap<>(MemberKind.class);
    private final Table<Record> gatewayTable = Columns.table("upstream_gateway");
    private final Field<UUID> gatewayId;
    private final Field<String> gatewaySlug;
    private final Table<Record> tagTable = Columns.table("tag");
    private final Field<UUID> tagId;
    private final Field<String> tagName;
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
        entries.put(MemberKind.TOOLS, new Entries(c, "tool", "tool_tag", "tool_id", true));
        entries.put(MemberKind.RESOURCES, new Entries(c, "resource", "resource_tag", "resource_id", false));
        entries.put(MemberKind.PROMPTS, new Entries(c, "prompt", "prompt_tag", "prompt_id", false));
        this.gatewayId = c.uuid(gatewayTable, "id");
        this.gatewaySlug = c.text(gatewayTable, "slug");
        this.tagId = c.uuid(tagTable, "id");
        this.tagName = c.text(tagTable, "name");
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

    /** Every server's members of one kind, by server; servers without any are absent. */
    public Map<UUID, Set<UUID>> allMemberIds(MemberKind kind) {
        Members members = table(kind);
        Map<UUID, Set<UUID>> byServer = new HashMap<>();
        transactions().read(dsl -> dsl.select(members.server, members.member).from(members.table)
                .orderBy(members.server, members.member).fetch())
                .forEach(r -> byServer.computeIfAbsent(r.value1(), k -> new LinkedHashSet<>()).add(r.value2()));
        return byServer;
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

    /** Which entries a bulk add takes: every entry of one upstream, or every entry that carries one tag. */
    public sealed interface Selection {
        /** Every tool, resource and prompt of the upstream with this id or slug. */
        record OfGateway(String idOrSlug) implements Selection {
        }

        /** Every tool, resource and prompt that carries this tag. */
        record Tagged(String tag) implements Selection {
        }
    }

    /** One entry a bulk add would have added but did not, and why: a 409 for that entry alone. */
    public record Conflict(MemberKind kind, UUID id, String name, String reason) {
    }

    /** What a bulk add did: the server after it, the entries it added per kind (by name), and those it refused. */
    public record BulkAdd(VirtualServer server, Map<MemberKind, List<Added>> added, List<Conflict> conflicts) {
    }

    /** An entry that a bulk add made a member. */
    public record Added(UUID id, String name, boolean enabled) {
    }

    /**
     * Adds every entry {@code selection} names to the server, in one transaction that raises its version once.
     * Entries that are members already stay as they are. A tool whose display name the server already presents,
     * or that another selected tool took first (in name order), is left out and reported as a conflict instead of
     * failing the whole request.
     *
     * @throws InvalidEntryException when the selection names an upstream that does not exist
     */
    public BulkAdd addMembers(UUID serverId, Selection selection, Long expectedVersion) {
        return transactions().write(dsl -> {
            touch(dsl, serverId, expectedVersion);
            UUID gateway = selection instanceof Selection.OfGateway g ? resolveGateway(dsl, g.idOrSlug()) : null;
            Map<MemberKind, List<Added>> added = new EnumMap<>(MemberKind.class);
            List<Conflict> conflicts = new ArrayList<>();
            for (MemberKind kind : MemberKind.values()) {
                Entries e = entries.get(kind);
                Condition chosen = gateway != null ? e.gatewayId.eq(gateway)
                        : e.id.in(DSL.select(e.tagLinkEntity).from(e.tagLink).join(tagTable)
                                .on(e.tagLinkTag.eq(tagId)).where(tagName.eq(((Selection.Tagged) selection).tag())));
                List<Record> candidates = dsl.select(e.fields()).from(e.table).where(chosen)
                        .orderBy(e.name, e.id).fetch();
                Set<UUID> members = membersIn(dsl, serverId, kind);
                Map<String, String> presented = kind == MemberKind.TOOLS ? presentedNames(dsl, serverId) : Map.of();
                List<Added> fresh = new ArrayList<>();
                for (Record r : candidates) {
                    UUID id = r.get(e.id);
                    if (members.contains(id)) {
                        continue;
                    }
                    if (e.displayName != null) {
                        String shown = r.get(e.displayName);
                        String holder = presented.putIfAbsent(shown, r.get(e.name));
                        if (holder != null) {
                            conflicts.add(new Conflict(kind, id, r.get(e.name), "the virtual server already presents"
                                    + " a tool named '" + shown + "' (" + holder + ")"));
                            continue;
                        }
                    }
                    fresh.add(new Added(id, r.get(e.name), r.get(e.enabled)));
                }
                Members table = table(kind);
                for (int from = 0; from < fresh.size(); from += 500) {
                    Set<UUID> chunk = new LinkedHashSet<>();
                    fresh.subList(from, Math.min(fresh.size(), from + 500)).forEach(a -> chunk.add(a.id()));
                    insert(dsl, table, serverId, chunk);
                }
                fresh.sort(Comparator.comparing(Added::name).thenComparing(Added::id));
                added.put(kind, List.copyOf(fresh));
            }
            // What the loop decided, checked as every membership change is: a concurrent rename cannot slip through.
            displayNames.requireUnique(dsl, List.of(serverId), selection instanceof Selection.Tagged ? "tag"
                    : "gateway");
            return new BulkAdd(fetchIn(dsl, serverId), added, List.copyOf(conflicts));
        });
    }

    /** The display names the server's tools are presented under, each with the name of the tool that has it. */
    private Map<String, String> presentedNames(DSLContext dsl, UUID serverId) {
        Entries t = entries.get(MemberKind.TOOLS);
        Map<String, String> names = new HashMap<>();
        dsl.select(t.displayName, t.name).from(t.table).where(t.id.in(DSL.select(tools.member).from(tools.table)
                .where(tools.server.eq(serverId)))).fetch().forEach(r -> names.put(r.value1(), r.value2()));
        return names;
    }

    private UUID resolveGateway(DSLContext dsl, String idOrSlug) {
        UUID id = null;
        try {
            id = UUID.fromString(idOrSlug);
        } catch (IllegalArgumentException e) {
            // a slug
        }
        Condition which = id != null ? gatewayId.eq(id) : gatewaySlug.eq(idOrSlug);
        UUID found = dsl.select(gatewayId).from(gatewayTable).where(which).fetchOne(gatewayId);
        if (found == null) {
            throw new InvalidEntryException("gateway", "no upstream has the id or slug '" + idOrSlug + "'");
        }
        return found;
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

    /** The columns of one kind of entry that a bulk add selects on and reports. */
    private static final class Entries {
        final Table<Record> table;
        final Field<UUID> id;
        final Field<String> name;
        final Field<Boolean> enabled;
        final Field<UUID> gatewayId;
        /** Only tools have one: what a virtual server presents them as. */
        final Field<String> displayName;
        final Table<Record> tagLink;
        final Field<UUID> tagLinkEntity;
        final Field<UUID> tagLinkTag;

        Entries(Columns c, String tableName, String tagLinkTable, String tagLinkColumn, boolean displayed) {
            table = Columns.table(tableName);
            id = c.uuid(table, "id");
            name = c.text(table, "name");
            enabled = c.bool(table, "enabled");
            gatewayId = c.uuid(table, "gateway_id");
            displayName = displayed ? c.text(table, "display_name") : null;
            tagLink = Columns.table(tagLinkTable);
            tagLinkEntity = c.uuid(tagLink, tagLinkColumn);
            tagLinkTag = c.uuid(tagLink, "tag_id");
        }

        List<Field<?>> fields() {
            return displayName == null ? List.of(id, name, enabled) : List.of(id, name, enabled, displayName);
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
