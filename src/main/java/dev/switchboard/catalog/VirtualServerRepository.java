package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.persistence.StaleVersionException;
import dev.switchboard.security.TeamAccess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
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
    private final DisplayNames toolNames;
    private final DisplayNames promptNames;
    private final PresentedUris uris;
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
        this.toolNames = DisplayNames.ofTools(c);
        this.promptNames = DisplayNames.ofPrompts(c);
        this.uris = new PresentedUris(c);
        this.serverId = c.uuid(serverTable, "id");
        this.serverVersion = c.bigint(serverTable, "version");
        this.serverUpdatedAt = c.timestamp(serverTable, "updated_at");
        entries.put(MemberKind.TOOLS, new Entries(c, MemberKind.TOOLS, "tool", "tool_tag", "tool_id"));
        entries.put(MemberKind.RESOURCES, new Entries(c, MemberKind.RESOURCES, "resource", "resource_tag",
                "resource_id"));
        entries.put(MemberKind.PROMPTS, new Entries(c, MemberKind.PROMPTS, "prompt", "prompt_tag", "prompt_id"));
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
     * An unknown id, two tools or two prompts with one display name, or two resources with one URI, fails the whole
     * change.
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
     * Entries that are members already stay as they are. A tool or prompt whose display name the server already
     * presents, or a resource whose URI it presents, or one that another selected entry took first (in name order),
     * is left out and reported as a conflict instead of failing the whole request.
     *
     * @param access whose entries may join: those of the teams it reaches
     * @throws InvalidEntryException when the selection names an upstream that does not exist
     */
    public BulkAdd addMembers(UUID serverId, Selection selection, Long expectedVersion, TeamAccess access) {
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
                if (!access.everything()) {
                    chosen = chosen.and(access.teams().isEmpty() ? DSL.falseCondition() : e.team.in(access.teams()));
                }
                List<Record> candidates = dsl.select(e.fields()).from(e.table).where(chosen)
                        .orderBy(e.name, e.id).fetch();
                Set<UUID> members = membersIn(dsl, serverId, kind);
                Map<Object, String> presented = presented(dsl, serverId, e);
                List<Added> fresh = new ArrayList<>();
                for (Record r : candidates) {
                    UUID id = r.get(e.id);
                    if (members.contains(id)) {
                        continue;
                    }
                    Object shown = e.presentedAs(r);
                    String holder = presented.putIfAbsent(shown, r.get(e.name));
                    if (holder != null) {
                        conflicts.add(new Conflict(kind, id, r.get(e.name), "the virtual server already presents "
                                + e.describe(shown) + " (" + holder + ")"));
                        continue;
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
            String field = selection instanceof Selection.Tagged ? "tag" : "gateway";
            for (MemberKind kind : MemberKind.values()) {
                requireUnique(dsl, serverId, kind, field);
            }
            return new BulkAdd(fetchIn(dsl, serverId), added, List.copyOf(conflicts));
        });
    }

    /**
     * What the server's members of one kind are presented as (display names, or URIs), each with the name of the
     * member that has it.
     */
    private Map<Object, String> presented(DSLContext dsl, UUID serverId, Entries e) {
        Members members = table(e.kind);
        Map<Object, String> names = new HashMap<>();
        dsl.select(e.fields()).from(e.table).where(e.id.in(DSL.select(members.member).from(members.table)
                .where(members.server.eq(serverId)))).fetch().forEach(r -> names.put(e.presentedAs(r), r.get(e.name)));
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
        requireUnique(dsl, serverId, kind, kind.name().toLowerCase(Locale.ROOT));
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
        requireUnique(dsl, serverId, kind, "ids");
        return fetchIn(dsl, serverId);
    }

    /** Fails if the server now presents two members of {@code kind} under one name (or, resources, one URI). */
    private void requireUnique(DSLContext dsl, UUID serverId, MemberKind kind, String field) {
        switch (kind) {
            case TOOLS -> toolNames.requireUnique(dsl, List.of(serverId), field);
            case PROMPTS -> promptNames.requireUnique(dsl, List.of(serverId), field);
            case RESOURCES -> uris.requireUnique(dsl, List.of(serverId), field);
        }
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
        final MemberKind kind;
        final Table<Record> table;
        final Field<UUID> id;
        final Field<String> name;
        final Field<Boolean> enabled;
        final Field<UUID> gatewayId;
        final Field<UUID> team;
        /** What a virtual server presents the entry as: a display name, or a resource's URI. */
        final Field<String> shownAs;
        /** Resources only: whether the URI is a template. */
        final Field<Boolean> template;
        final Table<Record> tagLink;
        final Field<UUID> tagLinkEntity;
        final Field<UUID> tagLinkTag;

        Entries(Columns c, MemberKind kind, String tableName, String tagLinkTable, String tagLinkColumn) {
            this.kind = kind;
            table = Columns.table(tableName);
            id = c.uuid(table, "id");
            name = c.text(table, "name");
            enabled = c.bool(table, "enabled");
            gatewayId = c.uuid(table, "gateway_id");
            team = c.uuid(table, "team_id");
            boolean resources = kind == MemberKind.RESOURCES;
            shownAs = c.text(table, resources ? "uri" : "display_name");
            template = resources ? c.bool(table, "is_template") : null;
            tagLink = Columns.table(tagLinkTable);
            tagLinkEntity = c.uuid(tagLink, tagLinkColumn);
            tagLinkTag = c.uuid(tagLink, "tag_id");
        }

        List<Field<?>> fields() {
            return template == null ? List.of(id, name, enabled, shownAs)
                    : List.of(id, name, enabled, shownAs, template);
        }

        /** The key two members of one server may not share. */
        Object presentedAs(Record r) {
            return template == null ? r.get(shownAs) : new PresentedUris.Presented(r.get(template), r.get(shownAs));
        }

        /** How a conflict names what {@link #presentedAs} returned. */
        String describe(Object shown) {
            return switch (shown) {
                case PresentedUris.Presented uri -> uri.one();
                default -> (kind == MemberKind.TOOLS ? "a tool" : "a prompt") + " named '" + shown + "'";
            };
        }
    }

    private static final class Mapping extends EntityMapping<VirtualServer> {
        final Field<String> description;
        final Field<String> instructions;
        final Field<String> iconUrl;
        final Field<String> visibility;
        final Field<String> policy;
        final Table<Record> shares = Columns.table("virtual_server_share");
        final Field<UUID> shareServer;
        final Field<UUID> shareTeam;

        Mapping(Columns c) {
            super(c, "virtual_server", "virtual_server_tag", "virtual_server_id");
            description = column(c.text(table, "description"));
            instructions = column(c.text(table, "instructions"));
            iconUrl = column(c.text(table, "icon_url"));
            visibility = column(c.text(table, "visibility"));
            policy = column(c.json(table, "policy"));
            shareServer = c.uuid(shares, "virtual_server_id");
            shareTeam = c.uuid(shares, "team_id");
        }

        @Override
        String noun() {
            return "virtual server";
        }

        /** The servers members of {@code teams} may use ({@link VirtualServer#usableBy}): theirs, shared, public. */
        @Override
        Condition visibleTo(Set<UUID> teams) {
            Condition visible = visibility.eq(Visibility.PUBLIC.value());
            if (teams.isEmpty()) {
                return visible;
            }
            return visible.or(team.in(teams)).or(visibility.eq(Visibility.SHARED.value())
                    .and(id.in(DSL.select(shareServer).from(shares).where(shareTeam.in(teams)))));
        }

        @Override
        Map<Field<?>, Object> values(VirtualServer s) {
            Map<Field<?>, Object> v = new HashMap<>();
            v.put(name, s.name());
            v.put(description, s.description());
            v.put(instructions, s.instructions());
            v.put(iconUrl, s.iconUrl());
            v.put(enabled, s.enabled());
            v.put(visibility, s.visibility().value());
            v.put(policy, s.policy());
            return v;
        }

        @Override
        VirtualServer read(Record r, Set<String> tags) {
            return new VirtualServer(r.get(id), r.get(name), r.get(description), r.get(instructions), r.get(iconUrl),
                    r.get(enabled), tags, r.get(team),
                    Visibility.of(r.get(visibility)).orElse(Visibility.PRIVATE), Set.of(), r.get(policy), r.get(createdAt),
                    r.get(updatedAt), r.get(version));
        }

        @Override
        void writeChildren(DSLContext dsl, UUID serverId, VirtualServer s) {
            dsl.deleteFrom(shares).where(shareServer.eq(serverId)).execute();
            for (UUID team : new java.util.TreeSet<>(s.sharedWith())) {
                dsl.insertInto(shares).set(shareServer, serverId).set(shareTeam, team).execute();
            }
        }

        /** Each shared server's teams, read in chunks to stay under bind limits. */
        @Override
        List<VirtualServer> withChildren(DSLContext dsl, List<VirtualServer> servers) {
            List<UUID> shared = servers.stream().filter(s -> s.visibility() == Visibility.SHARED)
                    .map(VirtualServer::id).toList();
            if (shared.isEmpty()) {
                return servers;
            }
            Map<UUID, Set<UUID>> byServer = new HashMap<>();
            for (int from = 0; from < shared.size(); from += 500) {
                List<UUID> chunk = shared.subList(from, Math.min(shared.size(), from + 500));
                dsl.select(shareServer, shareTeam).from(shares).where(shareServer.in(chunk)).fetch()
                        .forEach(r -> byServer.computeIfAbsent(r.value1(), k -> new LinkedHashSet<>())
                                .add(r.value2()));
            }
            return servers.stream().map(s -> s.visibility() != Visibility.SHARED ? s
                    : s.withAccess(s.teamId(), s.visibility(), byServer.getOrDefault(s.id(), Set.of()))).toList();
        }
    }
}
