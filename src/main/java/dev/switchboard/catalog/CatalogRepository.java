package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.StaleVersionException;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.security.TeamAccess;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Create, read, update with optimistic locking, delete, and list with cursor pagination and a tag filter,
 * the same for every kind of catalog entry. Every write is one transaction; a failed write changes nothing.
 */
public class CatalogRepository<T extends CatalogEntry> {

    private final Transactions transactions;
    private final EntityMapping<T> m;
    private final TagLinks tags;

    CatalogRepository(Transactions transactions, Function<Columns, EntityMapping<T>> mapping) {
        Columns columns = new Columns(transactions.dialect());
        this.transactions = transactions;
        this.m = mapping.apply(columns);
        this.tags = new TagLinks(columns, transactions.dialect());
    }

    Transactions transactions() {
        return transactions;
    }

    /** Microseconds are what every engine keeps; truncating here makes what we return equal what we read back. */
    Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** Stores a new entry; its id is kept when given, generated otherwise. Returns the entry as stored. */
    public T create(T draft) {
        return transactions.write(dsl -> insertIn(dsl, draft));
    }

    /** {@link #create} inside the caller's transaction. */
    T insertIn(DSLContext dsl, T draft) {
        UUID id = draft.id() != null ? draft.id() : UUID.randomUUID();
        Instant now = now();
        Map<Field<?>, Object> row = m.rowValues(draft);
        row.put(m.id, id);
        row.put(m.createdAt, now);
        row.put(m.updatedAt, now);
        row.put(m.version, 1L);
        dsl.insertInto(m.table).set(row).execute();
        tags.replace(dsl, m, id, draft.tags(), now);
        m.writeChildren(dsl, id, draft);
        m.checkAfterWrite(dsl, id);
        return fetchIn(dsl, id);
    }

    /** Replaces the entry whatever its version, inside the caller's transaction; its version goes up. */
    T replaceIn(DSLContext dsl, T changed) {
        Instant now = now();
        Map<Field<?>, Object> row = m.updateValues(changed);
        row.put(m.updatedAt, now);
        row.put(m.version, m.version.plus(1));
        if (dsl.update(m.table).set(row).where(m.id.eq(changed.id())).execute() == 0) {
            throw new CatalogEntryNotFoundException(m.noun(), changed.id());
        }
        tags.replace(dsl, m, changed.id(), changed.tags(), now);
        m.writeChildren(dsl, changed.id(), changed);
        m.checkAfterWrite(dsl, changed.id());
        return fetchIn(dsl, changed.id());
    }

    /** The entries among {@code ids}, read inside the caller's transaction, in (name, id) order. */
    List<T> findAllIn(DSLContext dsl, Collection<UUID> ids) {
        List<UUID> all = List.copyOf(new LinkedHashSet<>(ids));
        List<T> found = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += 500) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + 500));
            found.addAll(entries(dsl, dsl.select(m.fields()).from(m.table).where(m.id.in(chunk)).fetch()));
        }
        found.sort(Comparator.comparing(T::name).thenComparing(T::id));
        return found;
    }

    /** The entry with this id, read inside the caller's transaction. */
    Optional<T> findIn(DSLContext dsl, UUID id) {
        return fetch(dsl, id);
    }

    /** The id of another entry that already holds one of {@code entry}'s unique values, if there is one. */
    Optional<UUID> holderOfUniqueValues(DSLContext dsl, T entry) {
        Map<Field<?>, Object> values = m.values(entry);
        Condition same = DSL.falseCondition();
        for (Field<?> unique : m.uniqueFields()) {
            @SuppressWarnings("unchecked")
            Field<Object> f = (Field<Object>) unique;
            same = same.or(f.eq(values.get(unique)));
        }
        Condition other = entry.id() == null ? DSL.noCondition() : m.id.ne(entry.id());
        return Optional.ofNullable(dsl.select(m.id).from(m.table).where(same.and(other)).limit(1).fetchOne(m.id));
    }

    /** Every entry, in (name, id) order, read inside the caller's transaction so that it is one snapshot. */
    List<T> allIn(DSLContext dsl) {
        return entries(dsl, dsl.select(m.fields()).from(m.table).orderBy(m.name, m.id).fetch());
    }

    /** A word for messages: "tool", "virtual server". */
    public String noun() {
        return m.noun();
    }

    public Optional<T> find(UUID id) {
        return transactions.read(dsl -> fetch(dsl, id));
    }

    public T get(UUID id) {
        return find(id).orElseThrow(() -> new CatalogEntryNotFoundException(m.noun(), id));
    }

    /**
     * Replaces the entry whose id {@code changed} carries, if its version is still {@code expectedVersion}.
     *
     * @throws StaleVersionException          when someone else changed it first
     * @throws CatalogEntryNotFoundException  when it does not exist
     */
    public T update(T changed, long expectedVersion) {
        UUID id = changed.id();
        return transactions.write(dsl -> {
            Instant now = now();
            Map<Field<?>, Object> row = m.updateValues(changed);
            row.put(m.updatedAt, now);
            row.put(m.version, m.version.plus(1));
            if (m.vanishedAt() != null && changed.enabled()) {
                row.put(m.vanishedAt(), null); // enabled by the operator: no longer disabled by discovery
            }
            bumpOrFail(dsl, id, expectedVersion, dsl.update(m.table).set(row)
                    .where(m.id.eq(id).and(m.version.eq(expectedVersion))).execute());
            tags.replace(dsl, m, id, changed.tags(), now);
            m.writeChildren(dsl, id, changed);
            m.checkAfterWrite(dsl, id);
            return fetch(dsl, id).orElseThrow();
        });
    }

    /**
     * Turns the entry on or off, whatever its version, and returns it. The operator's switch wins over discovery:
     * an entry disabled here stays disabled when its upstream offers it again.
     */
    public T setEnabled(UUID id, boolean enabled) {
        return transactions.write(dsl -> {
            Map<Field<?>, Object> row = new HashMap<>();
            row.put(m.enabled, enabled);
            row.put(m.updatedAt, now());
            row.put(m.version, m.version.plus(1));
            if (m.vanishedAt() != null) {
                row.put(m.vanishedAt(), null);
            }
            int rows = dsl.update(m.table).set(row).where(m.id.eq(id)).execute();
            if (rows == 0) {
                throw new CatalogEntryNotFoundException(m.noun(), id);
            }
            return fetch(dsl, id).orElseThrow();
        });
    }

    /** Deletes the entry, its tags links and its memberships; false when it did not exist. */
    public boolean delete(UUID id) {
        return transactions.write(dsl -> dsl.deleteFrom(m.table).where(m.id.eq(id)).execute() == 1);
    }

    /** The entries among {@code ids} that exist, in (name, id) order; read in chunks to stay under bind limits. */
    public List<T> findAll(Collection<UUID> ids) {
        List<UUID> all = List.copyOf(new LinkedHashSet<>(ids));
        List<T> found = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += 500) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + 500));
            found.addAll(transactions.read(dsl -> entries(dsl,
                    dsl.select(m.fields()).from(m.table).where(m.id.in(chunk)).fetch())));
        }
        found.sort(Comparator.comparing(T::name).thenComparing(T::id));
        return found;
    }

    /** A page of entries in (name, id) order. */
    public Page<T> list(ListQuery query) {
        return list(query, TeamAccess.EVERYTHING);
    }

    /** A page of the entries a caller with {@code access} sees, in (name, id) order. */
    public Page<T> list(ListQuery query, TeamAccess access) {
        Condition where = access.everything() ? DSL.noCondition() : m.visibleTo(access.teams());
        if (query.enabled() != null) {
            where = where.and(m.enabled.eq(query.enabled()));
        }
        if (query.tag() != null) {
            where = where.and(m.id.in(DSL.select(m.tagLinkEntity).from(m.tagLink)
                    .join(tags.tag).on(m.tagLinkTag.eq(tags.tagId))
                    .where(tags.tagName.eq(query.tag()))));
        }
        if (query.q() != null && !query.q().isEmpty()) {
            // jOOQ escapes % and _ in the text, so it is matched literally on every engine.
            where = where.and(m.name.containsIgnoreCase(query.q()));
        }
        if (query.cursor() != null) {
            Cursor after = Cursor.decode(query.cursor());
            where = where.and(m.name.gt(after.name()).or(m.name.eq(after.name()).and(m.id.gt(after.id()))));
        }
        Condition condition = where;
        return transactions.read(dsl -> {
            List<Record> rows = dsl.select(m.fields()).from(m.table).where(condition).orderBy(m.name, m.id)
                    .limit(query.limit() + 1).fetch();
            boolean more = rows.size() > query.limit();
            List<T> items = entries(dsl, more ? rows.subList(0, query.limit()) : rows);
            T last = more ? items.getLast() : null;
            return new Page<>(items, last == null ? null : new Cursor(last.name(), last.id()).encode());
        });
    }

    /**
     * The tag of each tag link of the entries a caller with {@code access} sees, as a column {@code tag_id}: one row
     * per entry and tag, for counting.
     */
    Select<Record1<UUID>> tagLinksVisibleTo(TeamAccess access) {
        var links = DSL.select(m.tagLinkTag.as("tag_id")).from(m.tagLink);
        return access.everything() ? links
                : links.where(m.tagLinkEntity.in(DSL.select(m.id).from(m.table).where(m.visibleTo(access.teams()))));
    }

    /** The ids among {@code teams} that name no team: an entry may only belong to (or be shared with) teams. */
    public Set<UUID> unknownTeams(Set<UUID> teams) {
        return teams.isEmpty() ? Set.of() : transactions.read(dsl -> unknownTeamsIn(dsl, teams));
    }

    /** {@link #unknownTeams} inside the caller's transaction. */
    Set<UUID> unknownTeamsIn(DSLContext dsl, Set<UUID> teams) {
        if (teams.isEmpty()) {
            return Set.of();
        }
        Table<Record> team = Columns.table("team");
        Field<UUID> teamKey = new Columns(transactions.dialect()).uuid(team, "id");
        Set<UUID> unknown = new java.util.TreeSet<>(teams);
        dsl.select(teamKey).from(team).where(teamKey.in(teams)).fetch(teamKey).forEach(unknown::remove);
        return unknown;
    }

    /** Fails with {@link CatalogEntryNotFoundException} unless the entry exists; for use inside a transaction. */
    void requireExists(DSLContext dsl, UUID id) {
        if (!dsl.fetchExists(m.table, m.id.eq(id))) {
            throw new CatalogEntryNotFoundException(m.noun(), id);
        }
    }

    /** The entry as stored, read inside the caller's transaction; it must exist. */
    T fetchIn(DSLContext dsl, UUID id) {
        return fetch(dsl, id).orElseThrow(() -> new CatalogEntryNotFoundException(m.noun(), id));
    }

    private Optional<T> fetch(DSLContext dsl, UUID id) {
        Record row = dsl.select(m.fields()).from(m.table).where(m.id.eq(id)).fetchOne();
        return row == null ? Optional.empty() : Optional.of(entries(dsl, List.of(row)).getFirst());
    }

    private List<T> entries(DSLContext dsl, List<Record> rows) {
        Map<UUID, Set<String>> tagsById = tags.load(dsl, m, rows.stream().map(r -> r.get(m.id)).toList());
        List<T> entries = new ArrayList<>(rows.size());
        for (Record row : rows) {
            entries.add(m.read(row, tagsById.getOrDefault(row.get(m.id), Set.of())));
        }
        return m.withChildren(dsl, entries);
    }

    private void bumpOrFail(DSLContext dsl, UUID id, long expectedVersion, int rows) {
        if (rows == 1) {
            return;
        }
        Long current = dsl.select(m.version).from(m.table).where(m.id.eq(id)).fetchOne(m.version);
        if (current == null) {
            throw new CatalogEntryNotFoundException(m.noun(), id);
        }
        throw new StaleVersionException("the " + m.noun() + " " + id + " is at version " + current
                + ", not " + expectedVersion);
    }
}
