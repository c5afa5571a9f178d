package dev.switchboard.catalog;

import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the catalog held at one {@link CatalogRevision}, as MCP endpoints and calls read it: enabled entries,
 * upstreams, virtual servers and their members. Each part is read from the database the first time it is asked
 * for, then kept for as long as the revision stands, so a request reads nothing when nothing changed.
 */
public final class CatalogSnapshot {

    /** The repositories a snapshot reads its parts from. */
    record Sources(ToolRepository tools, ResourceRepository resources, PromptRepository prompts,
                   UpstreamGatewayRepository gateways, VirtualServerRepository servers,
                   UpstreamHealthRepository health, UpstreamPresentation presentation) {
    }

    private record Membership(UUID server, MemberKind kind) {
    }

    private final String revision;
    private final Sources sources;
    private final Once<List<Tool>> tools;
    private final Once<Map<String, Tool>> toolsByName;
    private final Once<List<Resource>> resources;
    private final Once<List<Prompt>> prompts;
    private final Once<Set<UUID>> unavailable;
    private final Once<Map<UUID, ObjectNode>> presentation;
    private final Map<UUID, Optional<UpstreamGateway>> gateways = new ConcurrentHashMap<>();
    private final Map<UUID, Optional<VirtualServer>> servers = new ConcurrentHashMap<>();
    private final Map<Membership, Set<UUID>> members = new ConcurrentHashMap<>();
    /** Set once every part has been read: from then on the snapshot answers without the database. */
    private volatile boolean whole;

    CatalogSnapshot(String revision, Sources sources) {
        this.revision = revision;
        this.sources = sources;
        this.tools = new Once<>(() -> enabled(sources.tools()));
        this.toolsByName = new Once<>(() -> tools().stream()
                .collect(Collectors.toUnmodifiableMap(Tool::name, Function.identity())));
        this.resources = new Once<>(() -> enabled(sources.resources()));
        this.prompts = new Once<>(() -> enabled(sources.prompts()));
        this.unavailable = new Once<>(() -> Set.copyOf(sources.health().unavailableGateways()));
        this.presentation = new Once<>(() -> sources.presentation().read());
    }

    /** The revision this snapshot stands for; two snapshots of one revision hold the same. */
    public String revision() {
        return revision;
    }

    /** Every enabled tool, in (name, id) order, with those of unavailable upstreams. */
    public List<Tool> tools() {
        return tools.get();
    }

    /** The enabled tool with this unique name, whether or not its upstream is available. */
    public Optional<Tool> tool(String name) {
        return Optional.ofNullable(toolsByName.get().get(name));
    }

    /** Every enabled resource, in (name, id) order, with those of unavailable upstreams. */
    public List<Resource> resources() {
        return resources.get();
    }

    /** Every enabled prompt, in (name, id) order, with those of unavailable upstreams. */
    public List<Prompt> prompts() {
        return prompts.get();
    }

    /**
     * {@code entries} without those of upstreams that are disabled or unreachable; the health of upstreams is read
     * only when some entry came from one.
     */
    public <T> List<T> available(List<T> entries, Function<T, UUID> gateway) {
        if (entries.stream().allMatch(e -> gateway.apply(e) == null)) {
            return entries;
        }
        Set<UUID> down = unavailable.get();
        // Entries of the registry itself have no upstream; Set.copyOf's sets refuse to be asked about null.
        return down.isEmpty() ? entries : entries.stream().filter(e -> {
            UUID from = gateway.apply(e);
            return from == null || !down.contains(from);
        }).toList();
    }

    /**
     * The {@code title}, {@code icons} and {@code _meta} that the upstream sent for this enabled entry (those it
     * sent), and a prompt's {@code arguments} as sent; empty for an entry of the registry itself, and for a tool,
     * resource or template that sent none of these (a federated prompt always has an object, maybe an empty one).
     */
    public Optional<ObjectNode> upstreamPresentation(UUID entry) {
        return Optional.ofNullable(presentation.get().get(entry));
    }

    /** The upstream with this id, enabled or not. */
    public Optional<UpstreamGateway> gateway(UUID id) {
        return whole ? gateways.getOrDefault(id, Optional.empty())
                : gateways.computeIfAbsent(id, sources.gateways()::find);
    }

    /** The virtual server with this id, enabled or not. */
    public Optional<VirtualServer> server(UUID id) {
        return whole ? servers.getOrDefault(id, Optional.empty())
                : servers.computeIfAbsent(id, sources.servers()::find);
    }

    /** The ids of a virtual server's members of one kind. */
    public Set<UUID> members(UUID server, MemberKind kind) {
        Membership membership = new Membership(server, kind);
        return whole ? members.getOrDefault(membership, Set.of())
                : members.computeIfAbsent(membership,
                        m -> Set.copyOf(sources.servers().memberIds(m.server(), m.kind())));
    }

    /** True once {@link #readWhole()} has read every part: the snapshot no longer needs the database. */
    public boolean isWhole() {
        return whole;
    }

    /**
     * Reads every part now (a query per part, not per server), so that the snapshot can answer everything while
     * the database is away. Parts read on demand before stay as they were read.
     */
    void readWhole() {
        tools();
        resources();
        prompts();
        unavailable.get();
        presentation.get();
        all(sources.gateways()).forEach(g -> gateways.putIfAbsent(g.id(), Optional.of(g)));
        List<VirtualServer> allServers = all(sources.servers());
        allServers.forEach(s -> servers.putIfAbsent(s.id(), Optional.of(s)));
        for (MemberKind kind : MemberKind.values()) {
            Map<UUID, Set<UUID>> byServer = sources.servers().allMemberIds(kind);
            for (VirtualServer server : allServers) {
                members.putIfAbsent(new Membership(server.id(), kind),
                        Set.copyOf(byServer.getOrDefault(server.id(), Set.of())));
            }
        }
        whole = true;
    }

    private static <T extends CatalogEntry> List<T> enabled(CatalogRepository<T> repository) {
        return read(repository, ListQuery.first(ListQuery.MAX_LIMIT).withEnabled(true));
    }

    private static <T extends CatalogEntry> List<T> all(CatalogRepository<T> repository) {
        return read(repository, ListQuery.first(ListQuery.MAX_LIMIT));
    }

    private static <T extends CatalogEntry> List<T> read(CatalogRepository<T> repository, ListQuery first) {
        List<T> all = new ArrayList<>();
        ListQuery query = first;
        Page<T> page;
        do {
            page = repository.list(query);
            all.addAll(page.items());
            query = query.after(page.nextCursor());
        } while (page.nextCursor() != null);
        return List.copyOf(all);
    }

    /**
     * A value read once, by the first thread to ask; the others wait for it rather than read it again. A failed
     * read is not kept, so the next ask tries again.
     */
    private static final class Once<T> {

        private final Supplier<T> read;
        private volatile T value;

        Once(Supplier<T> read) {
            this.read = read;
        }

        T get() {
            T seen = value;
            if (seen == null) {
                synchronized (this) {
                    seen = value;
                    if (seen == null) {
                        seen = read.get();
                        value = seen;
                    }
                }
            }
            return seen;
        }
    }
}
