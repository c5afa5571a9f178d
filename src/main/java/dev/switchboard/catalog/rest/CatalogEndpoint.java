package dev.switchboard.catalog.rest;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogEntryNotFoundException;
import dev.switchboard.catalog.CatalogRepository;
import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.catalog.ListQuery;
import dev.switchboard.catalog.NameTakenException;
import dev.switchboard.catalog.Page;
import dev.switchboard.persistence.StaleVersionException;
import dev.switchboard.persistence.UniqueViolationException;
import dev.switchboard.security.TeamAccess;
import dev.switchboard.security.UserRights;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * The endpoints every catalog collection shares: list, get, create, replace (PUT), merge-patch (PATCH), delete,
 * enable and disable. Updates are optimistic: the entry's version comes from {@code If-Match} (its ETag) or
 * from the body's {@code version}, and a stale one gets 412. Subclasses say how a body becomes an entry. Every
 * stored change is recorded in the audit trail, with the entry before and after as responses show it. A caller
 * held to teams (a user who is no platform administrator) sees only the entries of their teams: lists leave the
 * others out, and every route that names one answers 404, as if it did not exist.
 *
 * @param <T> the catalog entry
 * @param <B> the request body that creates or replaces it
 * @param <V> how responses show it
 */
public abstract class CatalogEndpoint<T extends CatalogEntry, B extends EntryBody, V> {

    static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String NO_TEAM_EDITED = "You edit no team's entries: an owner of a team can make you its "
            + "editor";

    private final CatalogRepository<T> repository;
    private final BodyReader bodies;
    private final Class<B> bodyType;
    private final AuditTrail audit;
    private final String kind;
    private final UserRights rights;

    /** {@code kind} names the entries in the audit trail: "tool", "gateway". */
    protected CatalogEndpoint(CatalogRepository<T> repository, BodyReader bodies, Class<B> bodyType, AuditTrail audit,
                              String kind, UserRights rights) {
        this.repository = repository;
        this.rights = rights;
        this.bodies = bodies;
        this.bodyType = bodyType;
        this.audit = audit;
        this.kind = kind;
    }

    /** Checks {@code body} and builds the entry it describes; {@code current} is null when creating. */
    protected abstract T toEntry(B body, T current);

    /** The entry as responses show it, without any secret. */
    protected abstract V toView(T entry);

    /** The entry as a body that would recreate it, secrets left out: what a merge patch is applied to. */
    protected abstract B toBody(T entry);

    /** The error for a name (or URI) that another entry already holds. */
    protected abstract NameTakenException nameTaken(B body);

    /** Where the collection lives, such as "/v1/tools". */
    protected abstract String path();

    @GetMapping
    public PageView<V> list(@RequestParam(required = false) String cursor,
                            @RequestParam(required = false) Integer limit,
                            @RequestParam(required = false) String tag,
                            @RequestParam(required = false) String q,
                            @RequestParam(required = false) String enabled) {
        Page<T> page = repository.list(query(cursor, limit, tag, q, enabled), access());
        return new PageView<>(page.items().stream().map(this::toListView).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    public ResponseEntity<V> get(@PathVariable UUID id) {
        return withVersion(ResponseEntity.ok(), visible(id));
    }

    @PostMapping
    public ResponseEntity<V> create(@RequestBody B body) {
        TeamAccess access = access();
        if (!access.everything() && access.editable().isEmpty()) {
            throw new NotEditorException(NO_TEAM_EDITED);
        }
        bodies.required(body);
        T created = storing(body, () -> repository.create(owned(toEntry(body, null))));
        audited("create", null, created);
        return withVersion(ResponseEntity.created(URI.create(path() + "/" + created.id())), created,
                viewAfterWrite(null, created));
    }

    @PutMapping("/{id}")
    public ResponseEntity<V> replace(@PathVariable UUID id,
                                     @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @RequestBody B body) {
        bodies.required(body);
        T current = changeable(id);
        long expected = Versions.expected(ifMatch, body.version(), current.version());
        return written("update", current,
                storing(body, () -> repository.update(owned(withId(toEntry(body, current), id)), expected)));
    }

    @PatchMapping(value = "/{id}", consumes = {MERGE_PATCH, "application/json"})
    public ResponseEntity<V> patch(@PathVariable UUID id,
                                   @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                   @RequestBody JsonNode patch) {
        T current = changeable(id);
        Long bodyVersion = bodies.version(patch);
        long expected = Versions.expected(ifMatch, bodyVersion, current.version());
        B body = bodies.merge(toBody(current), patch, bodyType);
        return written("update", current,
                storing(body, () -> repository.update(owned(withId(toEntry(body, current), id)), expected)));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable UUID id,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        T current = changeable(id);
        if (ifMatch != null) {
            long expected = Versions.expected(ifMatch, null, current.version());
            if (expected != current.version()) {
                throw new StaleVersionException("the entry " + id + " is at version " + current.version()
                        + ", not " + expected);
            }
        }
        if (!repository.delete(id)) {
            repository.get(id);
        }
        audited("delete", current, null);
        afterDelete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/enable")
    public ResponseEntity<V> enable(@PathVariable UUID id) {
        T current = changeable(id);
        return written("enable", current, repository.setEnabled(id, true));
    }

    @PostMapping("/{id}/disable")
    public ResponseEntity<V> disable(@PathVariable UUID id) {
        T current = changeable(id);
        return written("disable", current, repository.setEnabled(id, false));
    }

    /** The entry with this id, if the caller may see it; 404 otherwise, whether or not it exists. */
    T visible(UUID id) {
        T entry = repository.get(id);
        if (!visibleTo(entry, access())) {
            throw new CatalogEntryNotFoundException(repository.noun(), id);
        }
        return entry;
    }

    /**
     * The entry with this id, if the caller may change it: 404 when they cannot see it, 403 when they see it but do
     * not edit its team.
     */
    T changeable(UUID id) {
        T entry = visible(id);
        if (!access().edits(entry.teamId())) {
            throw new NotEditorException("You may not change the " + repository.noun() + " " + id + ": that takes "
                    + "an editor or an owner of its team");
        }
        return entry;
    }

    /** Whether a caller with {@code access} sees {@code entry}: by default, when it belongs to one of their teams. */
    protected boolean visibleTo(T entry, TeamAccess access) {
        return access.reachesAny(Set.of(entry.teamId()));
    }

    /**
     * The owner a body gives, else the current entry's; for a new entry, the one team the caller edits, if they are
     * held to teams and edit exactly one, else the default team.
     */
    UUID owner(UUID given, CatalogEntry current) {
        if (given != null) {
            return given;
        }
        if (current != null) {
            return current.teamId();
        }
        TeamAccess access = access();
        return !access.everything() && access.editable().size() == 1 ? access.editable().iterator().next()
                : TeamAccess.DEFAULT_TEAM;
    }

    /** What the calling request's credential reaches; nothing for a request without one. */
    TeamAccess access() {
        return rights.accessOf(SecurityContextHolder.getContext().getAuthentication());
    }

    /**
     * {@code entry}, checked to belong to a team that exists (422 on field teamId otherwise) and that the caller
     * edits (403 otherwise): nobody adds entries to, or moves them into, a team they do not edit.
     */
    T owned(T entry) {
        if (!repository.unknownTeams(Set.of(entry.teamId())).isEmpty()) {
            throw new InvalidEntryException("teamId", "no team has the id " + entry.teamId());
        }
        TeamAccess access = access();
        if (!access.edits(entry.teamId())) {
            throw new NotEditorException(access.editable().isEmpty() ? NO_TEAM_EDITED
                    : "You may not give entries to the team " + entry.teamId() + ": that takes an editor or an "
                    + "owner of it; name one of your teams in teamId");
        }
        return entry;
    }

    /**
     * The response body after {@code after} was stored ({@code before} is null for a create): the entry's view,
     * unless the kind sets something off on writes and reports its outcome.
     */
    protected V viewAfterWrite(T before, T after) {
        return toView(after);
    }

    /** Runs after an entry was deleted, for kinds that hold something outside the registry (connections). */
    protected void afterDelete(UUID id) {
    }

    private ResponseEntity<V> written(String action, T before, T after) {
        audited(action, before, after);
        return withVersion(ResponseEntity.ok(), after, viewAfterWrite(before, after));
    }

    /** Records a stored change; {@code before} is null for a creation, {@code after} for a deletion. */
    void audited(String action, T before, T after) {
        T entry = after != null ? after : before;
        audit.changed(action, kind, entry.id(), entry.name(), before == null ? null : toView(before),
                after == null ? null : toView(after));
    }

    /** Lists may show less than a single get (no stored content); by default they show the same. */
    protected V toListView(T entry) {
        return toView(entry);
    }

    /** The entry built from a body, with the id of the entry it replaces. */
    protected abstract T withId(T entry, UUID id);

    ResponseEntity<V> withVersion(ResponseEntity.BodyBuilder response, T entry) {
        return withVersion(response, entry, toView(entry));
    }

    ResponseEntity<V> withVersion(ResponseEntity.BodyBuilder response, T entry, V view) {
        return response.eTag(Versions.etag(entry.version())).body(view);
    }

    /** Runs a write, turning a unique-key violation into the entry kind's own conflict error. */
    T storing(B body, Supplier<T> write) {
        try {
            return write.get();
        } catch (UniqueViolationException e) {
            throw nameTaken(body);
        }
    }

    static ListQuery query(String cursor, Integer limit, String tag, String q, String enabled) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > ListQuery.MAX_LIMIT) {
            throw new InvalidEntryException("limit", "limit must be from 1 to " + ListQuery.MAX_LIMIT + ", not " + size);
        }
        Boolean onlyEnabled = null;
        if (enabled != null) {
            if (!enabled.equals("true") && !enabled.equals("false")) {
                throw new InvalidEntryException("enabled", "enabled must be true or false, not '" + enabled + "'");
            }
            onlyEnabled = Boolean.parseBoolean(enabled);
        }
        if (q != null && q.length() > 128) {
            throw new InvalidEntryException("q", "q may be at most 128 characters");
        }
        return new ListQuery(cursor, size, tag, onlyEnabled, q);
    }

    /** A page of a listing as responses show it. */
    public record PageView<V>(List<V> items, String nextCursor) {
    }
}
