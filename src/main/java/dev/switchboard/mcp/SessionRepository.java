package dev.switchboard.mcp;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.security.ApiTokenService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record10;
import org.jooq.Table;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code mcp_session} table: what each Streamable HTTP session agreed and who opened it, so that any replica
 * can continue it. Capabilities and subscriptions are opaque JSON: nothing filters on them in SQL.
 */
@Repository
class SessionRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Ids touched or deleted per statement: far under every engine's bind limit. */
    private static final int CHUNK = 500;

    /** A session as stored. {@code serverId} is null for the whole catalog's endpoint. */
    record StoredSession(String id, String principal, String endpoint, String serverId, String protocolVersion,
                         JsonNode clientCapabilities, String logLevel, Set<String> subscriptions, Instant createdAt,
                         Instant lastUsedAt) {
    }

    private final Transactions transactions;
    private final Table<Record> table = Columns.table("mcp_session");
    private final Field<String> id;
    private final Field<String> principal;
    private final Field<String> endpoint;
    private final Field<UUID> serverId;
    private final Field<String> protocolVersion;
    private final Field<String> clientCapabilities;
    private final Field<String> logLevel;
    private final Field<String> subscriptions;
    private final Field<Instant> createdAt;
    private final Field<Instant> lastUsedAt;
    private final Field<String> principalHash;

    SessionRepository(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        id = c.text(table, "id");
        principal = c.text(table, "principal");
        endpoint = c.text(table, "endpoint");
        serverId = c.uuid(table, "server_id");
        protocolVersion = c.text(table, "protocol_version");
        clientCapabilities = c.json(table, "client_capabilities");
        logLevel = c.text(table, "log_level");
        subscriptions = c.json(table, "subscriptions");
        createdAt = c.timestamp(table, "created_at");
        lastUsedAt = c.timestamp(table, "last_used_at");
        principalHash = c.text(table, "principal_hash");
    }

    void insert(StoredSession s) {
        transactions.write(dsl -> dsl.insertInto(table)
                .set(id, s.id()).set(principal, s.principal()).set(endpoint, s.endpoint())
                .set(serverId, s.serverId() == null ? null : UUID.fromString(s.serverId()))
                .set(protocolVersion, s.protocolVersion())
                .set(clientCapabilities, JSON.writeValueAsString(s.clientCapabilities()))
                .set(logLevel, s.logLevel()).set(subscriptions, JSON.writeValueAsString(s.subscriptions()))
                .set(createdAt, s.createdAt()).set(lastUsedAt, s.lastUsedAt())
                .set(principalHash, hash(s.principal())).execute());
    }

    /** How many sessions of {@code caller} are stored. */
    int countOf(String caller) {
        return transactions.read(dsl -> dsl.selectCount().from(table).where(principalHash.eq(hash(caller)))
                .fetchOne(0, Integer.class));
    }

    /** The ids of the {@code count} least recently used stored sessions of {@code caller}, but {@code keep}. */
    List<String> leastRecentlyUsedOf(String caller, int count, String keep) {
        return transactions.read(dsl -> dsl.select(id).from(table).where(principalHash.eq(hash(caller)))
                .and(id.ne(keep)).orderBy(lastUsedAt, id).limit(count).fetch(id));
    }

    /** The principal's SHA-256: principals are too long to index on MariaDB and MySQL. */
    private static String hash(String principal) {
        return ApiTokenService.sha256(principal);
    }

    Optional<StoredSession> find(String sessionId) {
        return transactions.read(dsl -> dsl.select(id, principal, endpoint, serverId, protocolVersion,
                        clientCapabilities, logLevel, subscriptions, createdAt, lastUsedAt)
                .from(table).where(id.eq(sessionId)).fetchOptional(SessionRepository::stored));
    }

    /** Those of the sessions {@code sessionIds} still stored, read {@value #CHUNK} to a query. */
    List<StoredSession> findAll(Collection<String> sessionIds) {
        List<String> all = List.copyOf(sessionIds);
        List<StoredSession> found = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            found.addAll(transactions.read(dsl -> dsl.select(id, principal, endpoint, serverId, protocolVersion,
                    clientCapabilities, logLevel, subscriptions, createdAt, lastUsedAt)
                    .from(table).where(id.in(chunk)).fetch(SessionRepository::stored)));
        }
        return found;
    }

    private static StoredSession stored(Record10<String, String, String, UUID, String, String, String, String,
            Instant, Instant> r) {
        return new StoredSession(r.value1(), r.value2(), r.value3(), r.value4() == null ? null : r.value4().toString(),
                r.value5(), r.value6() == null ? JSON.createObjectNode() : JSON.readTree(r.value6()), r.value7(),
                r.value8() == null ? Set.of() : uris(JSON.readTree(r.value8())), r.value9(), r.value10());
    }

    /** Stores what the session may change after it opened: its log level and its subscriptions. */
    void update(String sessionId, String level, Set<String> uris) {
        transactions.write(dsl -> dsl.update(table).set(logLevel, level)
                .set(subscriptions, JSON.writeValueAsString(uris)).where(id.eq(sessionId)).execute());
    }

    /** Marks the sessions as used at {@code at}, unless another replica marked them later. */
    void touch(Collection<String> sessionIds, Instant at) {
        List<String> all = List.copyOf(sessionIds);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            transactions.write(dsl -> dsl.update(table).set(lastUsedAt, at)
                    .where(id.in(chunk)).and(lastUsedAt.lt(at)).execute());
        }
    }

    /** Whether a row was deleted. */
    boolean delete(String sessionId) {
        return transactions.write(dsl -> dsl.deleteFrom(table).where(id.eq(sessionId)).execute() == 1);
    }

    /** Deletes up to {@code limit} sessions last used before {@code before}; returns how many. */
    int deleteIdleBefore(Instant before, int limit) {
        return transactions.write(dsl -> {
            List<String> idle = dsl.select(id).from(table).where(lastUsedAt.lt(before)).limit(limit).fetch(id);
            return idle.isEmpty() ? 0 : dsl.deleteFrom(table).where(id.in(idle)).execute();
        });
    }

    private static Set<String> uris(JsonNode array) {
        Set<String> uris = new LinkedHashSet<>();
        array.forEach(u -> uris.add(u.asString()));
        return uris;
    }
}
