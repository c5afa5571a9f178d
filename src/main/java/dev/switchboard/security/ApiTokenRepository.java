package dev.switchboard.security;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.KeysetPosition;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.persistence.UniqueViolationException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * API tokens in the {@code api_token} table, looked up by the SHA-256 of their secret. Scopes are an opaque
 * JSON array: nothing ever filters on them in SQL.
 */
@Repository
public class ApiTokenRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Transactions transactions;
    private final Table<Record> table = Columns.table("api_token");
    private final Field<UUID> id;
    private final Field<String> subject;
    private final Field<String> name;
    private final Field<String> tokenHash;
    private final Field<String> scopes;
    private final Field<Instant> expiresAt;
    private final Field<Instant> revokedAt;
    private final Field<Instant> lastUsedAt;
    private final Field<Instant> createdAt;
    private final Field<String> servers;

    public ApiTokenRepository(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        id = c.uuid(table, "id");
        subject = c.text(table, "subject");
        name = c.text(table, "name");
        tokenHash = c.text(table, "token_hash");
        scopes = c.json(table, "scopes");
        expiresAt = c.timestamp(table, "expires_at");
        revokedAt = c.timestamp(table, "revoked_at");
        lastUsedAt = c.timestamp(table, "last_used_at");
        createdAt = c.timestamp(table, "created_at");
        servers = c.json(table, "servers");
    }

    /**
     * Stores {@code token} under the hash of its secret; false, storing nothing, when its subject already has a
     * token of that name. Looking first keeps the common refusal from being a failed statement.
     *
     * @throws UniqueViolationException when another request stored the same name in the meantime
     */
    public boolean insert(ApiToken token, String secretHash) {
        Map<Field<?>, Object> row = new HashMap<>();
        row.put(id, token.id());
        row.put(subject, token.subject());
        row.put(name, token.name());
        row.put(tokenHash, secretHash);
        row.put(scopes, JSON.writeValueAsString(token.scopes().stream().map(Scope::value).toList()));
        row.put(expiresAt, token.expiresAt());
        row.put(createdAt, token.createdAt());
        row.put(servers, token.servers() == null ? null
                : JSON.writeValueAsString(token.servers().stream().map(UUID::toString).toList()));
        return transactions.write(dsl -> {
            if (dsl.fetchExists(table, subject.eq(token.subject()).and(name.eq(token.name())))) {
                return false;
            }
            dsl.insertInto(table).set(row).execute();
            return true;
        });
    }

    public Optional<ApiToken> findByHash(String secretHash) {
        return transactions.read(dsl -> dsl.select(fields()).from(table).where(tokenHash.eq(secretHash))
                .fetchOptional(this::read));
    }

    public Optional<ApiToken> find(UUID tokenId) {
        return transactions.read(dsl -> dsl.select(fields()).from(table).where(id.eq(tokenId))
                .fetchOptional(this::read));
    }

    /**
     * Up to {@code limit} tokens of {@code owner} (every token when null), newest first (ties by id, descending),
     * after {@code after} when it is not null.
     */
    public List<ApiToken> list(String owner, KeysetPosition after, int limit) {
        Condition where = owner == null ? DSL.noCondition() : subject.eq(owner);
        if (after != null) {
            where = where.and(createdAt.lt(after.at()).or(createdAt.eq(after.at()).and(id.lt(after.id()))));
        }
        Condition page = where;
        return transactions.read(dsl -> dsl.select(fields()).from(table).where(page)
                .orderBy(createdAt.desc(), id.desc())
                .limit(limit).fetch(this::read));
    }

    /**
     * Revokes the token if it exists and belongs to {@code owner} (any owner when null); a token already
     * revoked keeps its first revocation time. False when there is no such token.
     */
    public boolean revoke(UUID tokenId, String owner, Instant at) {
        Condition match = owner == null ? id.eq(tokenId) : id.eq(tokenId).and(subject.eq(owner));
        return transactions.write(dsl -> {
            if (!dsl.fetchExists(table, match)) {
                return false;
            }
            dsl.update(table).set(revokedAt, at).where(match.and(revokedAt.isNull())).execute();
            return true;
        });
    }

    /**
     * Records a use at {@code at} unless one was recorded after {@code notSince}; the condition lives in the
     * statement so that replicas racing on the same token write once.
     */
    public boolean recordUse(UUID tokenId, Instant at, Instant notSince) {
        return transactions.write(dsl -> dsl.update(table).set(lastUsedAt, at)
                .where(id.eq(tokenId).and(lastUsedAt.isNull().or(lastUsedAt.lt(notSince))))
                .execute() == 1);
    }

    private List<Field<?>> fields() {
        return List.of(id, subject, name, scopes, expiresAt, revokedAt, lastUsedAt, createdAt, servers);
    }

    private ApiToken read(Record r) {
        return new ApiToken(r.get(id), r.get(subject), r.get(name), parseScopes(r.get(scopes)), r.get(expiresAt),
                r.get(revokedAt), r.get(lastUsedAt), r.get(createdAt), parseServers(r.get(servers)));
    }

    private static Set<UUID> parseServers(String json) {
        if (json == null) {
            return null;
        }
        Set<UUID> parsed = new java.util.TreeSet<>();
        for (String value : JSON.readValue(json, String[].class)) {
            parsed.add(UUID.fromString(value));
        }
        return parsed;
    }

    /** A scope this build does not know (stored by a newer one) grants nothing here. */
    private static Set<Scope> parseScopes(String json) {
        Set<Scope> parsed = EnumSet.noneOf(Scope.class);
        for (String value : JSON.readValue(json, String[].class)) {
            Scope.parse(value).ifPresent(parsed::add);
        }
        return parsed;
    }
}
