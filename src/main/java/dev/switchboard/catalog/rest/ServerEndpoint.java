package dev.switchboard.catalog.rest;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogEntryNotFoundException;
import dev.switchboard.catalog.CatalogRepository;
import dev.switchboard.catalog.EntryRules;
import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.catalog.NameTakenException;
import dev.switchboard.catalog.PromptRepository;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.catalog.VirtualServerRepository;
import dev.switchboard.catalog.VirtualServerRepository.BulkAdd;
import dev.switchboard.catalog.VirtualServerRepository.MemberKind;
import dev.switchboard.catalog.VirtualServerRepository.Selection;
import dev.switchboard.catalog.Visibility;
import dev.switchboard.policy.PolicyDocument;
import dev.switchboard.security.TeamAccess;
import dev.switchboard.security.UserRights;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/servers}: virtual servers, and what each contains at {@code /v1/servers/{id}/tools}, {@code
 * /resources} and {@code /prompts}. A membership change is a change of the server: its version goes up.
 */
@RestController
@RequestMapping("/v1/servers")
@Tag(name = "Virtual servers", description = "Compositions of catalog entries served as one MCP server")
public class ServerEndpoint extends CatalogEndpoint<VirtualServer, ServerEndpoint.ServerBody,
        ServerEndpoint.ServerView> {

    private static final String KINDS = "{kind:tools|resources|prompts}";
    private final VirtualServerRepository servers;
    private final ToolRepository tools;
    private final ResourceRepository resources;
    private final PromptRepository prompts;
    private final AuditTrail audit;
    private final JsonMapper json;

    public ServerEndpoint(VirtualServerRepository servers, ToolRepository tools, ResourceRepository resources,
                          PromptRepository prompts, BodyReader bodies, AuditTrail audit, JsonMapper json,
                          UserRights rights) {
        super(servers, bodies, ServerBody.class, audit, "server", rights);
        this.audit = audit;
        this.json = json;
        this.servers = servers;
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
    }

    /**
     * A virtual server as a request describes it. {@code teamId}, {@code visibility}, {@code sharedWith} and
     * {@code policy} left out keep what the server has (the default team, public, no policy, for a new one); an
     * empty policy removes it.
     */
    public record ServerBody(String name, String description, String instructions, String iconUrl, Set<String> tags,
                             Boolean enabled, UUID teamId, String visibility, Set<UUID> sharedWith,
                             JsonNode policy, Long version)
            implements EntryBody {
    }

    /** A virtual server as responses show it: who owns it and who may use it over MCP, too. */
    public record ServerView(UUID id, String name, String description, String instructions, String iconUrl,
                             boolean enabled, Set<String> tags, UUID teamId, String visibility, Set<UUID> sharedWith,
                             JsonNode policy, Instant createdAt, Instant updatedAt, long version) {
    }

    /** The entries of one kind that a server contains. */
    public record MembersView(UUID serverId, long serverVersion, List<Member> items) {
    }

    /** One member: its id, its name and whether it is enabled. */
    public record Member(UUID id, String name, boolean enabled) {
    }

    /** The complete list of members of one kind, replacing the current one. */
    public record MembersBody(List<UUID> ids) {
    }

    /** A bulk add: exactly one of an upstream (its id or slug) or a tag. */
    public record BulkMembersBody(String gateway, String tag) {
    }

    /** What a bulk add added, per kind, and the entries it refused. */
    public record BulkMembersView(UUID serverId, long serverVersion, AddedMembers added, List<Refused> conflicts) {
    }

    /** The entries a bulk add made members, by kind, in name order. */
    public record AddedMembers(List<Member> tools, List<Member> resources, List<Member> prompts) {
    }

    /** An entry a bulk add left out: its kind (tool, resource, prompt), id and name, status 409 and why. */
    public record Refused(String kind, UUID id, String name, int status, String reason) {
    }

    /**
     * Adds every entry of one upstream, or every entry with one tag, in one change of the server, among the entries
     * the caller sees. Entries that cannot join (a tool whose display name the server already presents) are listed
     * as conflicts; the rest join.
     */
    @PostMapping("/{id}/members")
    public ResponseEntity<BulkMembersView> addMembers(@PathVariable UUID id,
                                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false)
                                                      String ifMatch,
                                                      @RequestBody(required = false) BulkMembersBody body) {
        VirtualServer current = changeable(id);
        String gateway = body == null ? null : body.gateway();
        String tag = body == null ? null : body.tag();
        if ((gateway == null) == (tag == null)) {
            throw new InvalidEntryException(gateway == null ? "gateway" : "tag",
                    "give exactly one of gateway (an upstream's id or slug) or tag");
        }
        if (gateway != null && gateway.isBlank()) {
            throw new InvalidEntryException("gateway", "gateway must be an upstream's id or slug");
        }
        Selection selection = gateway != null ? new Selection.OfGateway(gateway)
                : new Selection.Tagged(EntryRules.tags("tag", Set.of(tag)).iterator().next());
        BulkAdd done = servers.addMembers(id, selection, expected(ifMatch, current), access());
        List<Refused> refused = done.conflicts().stream()
                .map(c -> new Refused(noun(c.kind()), c.id(), c.name(), 409, c.reason())).toList();
        BulkMembersView view = new BulkMembersView(id, done.server().version(), new AddedMembers(
                added(done, MemberKind.TOOLS), added(done, MemberKind.RESOURCES), added(done, MemberKind.PROMPTS)),
                refused);
        audit.changed("add_members", "server", id, current.name(), null, view);
        return ResponseEntity.ok().eTag(Versions.etag(done.server().version())).body(view);
    }

    private static List<Member> added(BulkAdd done, MemberKind kind) {
        return done.added().getOrDefault(kind, List.of()).stream()
                .map(a -> new Member(a.id(), a.name(), a.enabled())).toList();
    }

    @GetMapping("/{id}/" + KINDS)
    public ResponseEntity<MembersView> members(@PathVariable UUID id, @PathVariable String kind) {
        VirtualServer server = visible(id);
        return membersResponse(server, kind(kind));
    }

    @PutMapping("/{id}/" + KINDS)
    public ResponseEntity<MembersView> setMembers(@PathVariable UUID id, @PathVariable String kind,
                                                  @RequestHeader(value = HttpHeaders.IF_MATCH, required = false)
                                                  String ifMatch,
                                                  @RequestBody MembersBody body) {
        MemberKind k = kind(kind);
        VirtualServer current = changeable(id);
        List<UUID> ids = body == null || body.ids() == null ? null : body.ids();
        if (ids == null) {
            throw new InvalidEntryException("ids", "ids is required: the complete list of members");
        }
        for (int i = 0; i < ids.size(); i++) {
            requireMember(k, "ids[" + i + "]", ids.get(i));
        }
        Map<String, List<UUID>> before = members(id, k);
        VirtualServer changed = servers.setMembers(id, k, ids, expected(ifMatch, current));
        audit.changed("set_members", "server", id, current.name(), before, members(id, k));
        return membersResponse(changed, k);
    }

    @PostMapping("/{id}/" + KINDS + "/{memberId}")
    public ResponseEntity<MembersView> addMember(@PathVariable UUID id, @PathVariable String kind,
                                                 @PathVariable UUID memberId,
                                                 @RequestHeader(value = HttpHeaders.IF_MATCH, required = false)
                                                 String ifMatch) {
        MemberKind k = kind(kind);
        VirtualServer current = changeable(id);
        requireMember(k, "memberId", memberId);
        Map<String, List<UUID>> before = members(id, k);
        VirtualServer changed = servers.addMember(id, k, memberId, expected(ifMatch, current));
        audit.changed("add_member", "server", id, current.name(), before, members(id, k));
        return membersResponse(changed, k);
    }

    @DeleteMapping("/{id}/" + KINDS + "/{memberId}")
    public ResponseEntity<Void> removeMember(@PathVariable UUID id, @PathVariable String kind,
                                             @PathVariable UUID memberId,
                                             @RequestHeader(value = HttpHeaders.IF_MATCH, required = false)
                                             String ifMatch) {
        MemberKind k = kind(kind);
        VirtualServer current = changeable(id);
        Map<String, List<UUID>> before = members(id, k);
        if (!servers.removeMember(id, k, memberId, expected(ifMatch, current))) {
            throw new CatalogEntryNotFoundException(noun(k) + " member", memberId);
        }
        audit.changed("remove_member", "server", id, current.name(), before, members(id, k));
        return ResponseEntity.noContent().build();
    }

    /** The server's members of one kind, as the audit trail records them: {"tools": [ids]}. */
    private Map<String, List<UUID>> members(UUID id, MemberKind kind) {
        return Map.of(kind.name().toLowerCase(Locale.ROOT), List.copyOf(servers.memberIds(id, kind)));
    }

    private ResponseEntity<MembersView> membersResponse(VirtualServer server, MemberKind kind) {
        CatalogRepository<? extends CatalogEntry> repository = repository(kind);
        // One read per 500 members, in (name, id) order, so the list is the same from one request to the next.
        List<Member> items = repository.findAll(servers.memberIds(server.id(), kind)).stream()
                .map(e -> new Member(e.id(), e.name(), e.enabled())).toList();
        return ResponseEntity.ok().eTag(Versions.etag(server.version()))
                .body(new MembersView(server.id(), server.version(), items));
    }

    /** A member must exist and be seen by the caller: an entry of a team they are not in is as absent. */
    private void requireMember(MemberKind kind, String field, UUID memberId) {
        TeamAccess access = access();
        if (memberId == null || repository(kind).find(memberId).filter(e -> access.reachesAny(Set.of(e.teamId())))
                .isEmpty()) {
            throw new InvalidEntryException(field, "no " + noun(kind) + " has the id " + memberId);
        }
    }

    private static Long expected(String ifMatch, VirtualServer current) {
        return ifMatch == null ? null : Versions.expected(ifMatch, null, current.version());
    }

    private CatalogRepository<? extends CatalogEntry> repository(MemberKind kind) {
        return switch (kind) {
            case TOOLS -> tools;
            case RESOURCES -> resources;
            case PROMPTS -> prompts;
        };
    }

    private static MemberKind kind(String kind) {
        return MemberKind.valueOf(kind.toUpperCase(Locale.ROOT));
    }

    private static String noun(MemberKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replaceAll("s$", "");
    }

    @Override
    protected VirtualServer toEntry(ServerBody body, VirtualServer current) {
        VirtualServer entry = new VirtualServer(null, EntryRules.name("name", body.name()),
                EntryRules.text("description", body.description(), 16_384),
                EntryRules.text("instructions", body.instructions(), 65_536),
                body.iconUrl() == null ? null : EntryRules.httpUrl("iconUrl", body.iconUrl()),
                body.enabled() == null || body.enabled(), EntryRules.tags("tags", body.tags()), null, null, null,
                body.policy() == null ? current == null ? null : current.policy() : policy(body.policy()), null,
                null, 0);
        return withAccess(entry, body, current);
    }

    /** The stored form of a policy, each rule compiled: null for none (absent, null or an empty array). */
    private static String policy(JsonNode policy) {
        if (policy == null || policy.isNull() || policy.isArray() && policy.isEmpty()) {
            return null;
        }
        try {
            return PolicyDocument.write(PolicyDocument.read(policy));
        } catch (PolicyDocument.InvalidPolicyException e) {
            throw new InvalidEntryException(e.field(), e.getMessage());
        }
    }

    /** A caller sees the servers they may use: their teams', those shared with their teams, public ones. */
    @Override
    protected boolean visibleTo(VirtualServer server, TeamAccess access) {
        return server.usableBy(access);
    }

    /** The owner and audience the body gives, checked: known teams, and sharedWith exactly when shared. */
    private VirtualServer withAccess(VirtualServer entry, ServerBody body, VirtualServer current) {
        UUID team = owner(body.teamId(), current);
        Visibility visibility = current == null ? null : current.visibility();
        if (body.visibility() != null) {
            visibility = Visibility.of(body.visibility()).orElseThrow(() -> new InvalidEntryException("visibility",
                    "must be private, shared or public"));
        }
        Set<UUID> shared = body.sharedWith() != null ? body.sharedWith()
                : current == null || body.visibility() != null ? Set.of() : current.sharedWith();
        if (shared.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidEntryException("sharedWith", "must list team ids");
        }
        if (visibility == Visibility.SHARED && shared.isEmpty()) {
            throw new InvalidEntryException("sharedWith", "a shared server names the teams it is shared with");
        }
        if (visibility != Visibility.SHARED && !shared.isEmpty()) {
            // A merge patch that only changes the visibility carries the teams the server was shared with.
            if (current == null || !shared.equals(current.sharedWith())) {
                throw new InvalidEntryException("sharedWith", "only a shared server is shared with teams; make it "
                        + "visibility shared");
            }
            shared = Set.of();
        }
        if (shared.size() > 100) {
            throw new InvalidEntryException("sharedWith", "at most 100 teams");
        }
        if (team != null && !servers.unknownTeams(Set.of(team)).isEmpty()) {
            throw new InvalidEntryException("teamId", "no team has the id " + team);
        }
        Set<UUID> unknown = servers.unknownTeams(shared);
        if (!unknown.isEmpty()) {
            throw new InvalidEntryException("sharedWith", "no team has the id " + unknown.iterator().next());
        }
        return entry.withAccess(team, visibility, shared);
    }

    @Override
    protected VirtualServer withId(VirtualServer s, UUID id) {
        return new VirtualServer(id, s.name(), s.description(), s.instructions(), s.iconUrl(), s.enabled(), s.tags(),
                s.teamId(), s.visibility(), s.sharedWith(), s.policy(), s.createdAt(), s.updatedAt(), s.version());
    }

    @Override
    protected ServerView toView(VirtualServer s) {
        return new ServerView(s.id(), s.name(), s.description(), s.instructions(), s.iconUrl(), s.enabled(), s.tags(),
                s.teamId(), s.visibility().value(), new java.util.TreeSet<>(s.sharedWith()), policyView(s),
                s.createdAt(), s.updatedAt(), s.version());
    }

    @Override
    protected ServerBody toBody(VirtualServer s) {
        return new ServerBody(s.name(), s.description(), s.instructions(), s.iconUrl(), s.tags(), s.enabled(),
                s.teamId(), s.visibility().value(), s.sharedWith(), policyView(s), null);
    }

    /** The policy as the API shows it: the stored array, or an empty one. */
    private JsonNode policyView(VirtualServer s) {
        return s.policy() == null ? json.createArrayNode() : json.readTree(s.policy());
    }

    @Override
    protected NameTakenException nameTaken(ServerBody body) {
        return new NameTakenException("name", "a virtual server named '" + body.name() + "' already exists");
    }

    @Override
    protected String path() {
        return "/v1/servers";
    }
}
