package dev.switchboard.persistence;

import com.zaxxer.hikari.HikariConfig;
import dev.switchboard.persistence.DatabaseDoctor.Verdict;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Converter;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.InsertOnDuplicateStep;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectForUpdateStep;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** PostgreSQL 14 and newer. */
final class PostgresDialect extends EngineDialect {

    /** Advisory locks are scoped to the database, so one fixed key serves every Switchboard database. */
    private static final long MIGRATION_LOCK_KEY = 0x5357_4244_4d49_4752L; // "SWBDMIGR"

    private static final DataType<Instant> TIMESTAMP = SQLDataType.TIMESTAMPWITHTIMEZONE(6)
            .asConvertedDataType(Converter.ofNullable(OffsetDateTime.class, Instant.class,
                    OffsetDateTime::toInstant, instant -> instant.atOffset(ZoneOffset.UTC)));
    /** json, not jsonb: json keeps a document's text as written (member order, numbers' spelling, whitespace). */
    private static final DataType<String> JSON = SQLDataType.JSON
            .asConvertedDataType(Converter.ofNullable(org.jooq.JSON.class, String.class, org.jooq.JSON::data,
                    org.jooq.JSON::json));
    /** idle_session_timeout in milliseconds (PostgreSQL 14+); 0 means sessions may idle forever. */
    private static final String IDLE_SESSION_TIMEOUT =
            "SELECT setting FROM pg_settings WHERE name = 'idle_session_timeout'";
    /** psycopg spellings of options that the PostgreSQL JDBC driver names differently. */
    private static final Map<String, String> OPTION_NAMES =
            Map.of("connect_timeout", "connectTimeout", "application_name", "ApplicationName");

    PostgresDialect() {
        super(new EngineFacts(Engine.POSTGRESQL, SQLDialect.POSTGRES,
                SQLDataType.UUID, TIMESTAMP, JSON,
                false, false, // embedded, single writer
                10, 32_767,   // default pool size, bind parameters
                new EngineFacts.UrlForm(Engine.POSTGRESQL, List.of("postgresql", "postgres"),
                        List.of("psycopg", "psycopg2"), "postgresql", "postgresql", 5432),
                EngineFacts.ErrorCodes.NONE
                        .sqlStates(DatabaseError.UNIQUE_VIOLATION, "23505")
                        .sqlStates(DatabaseError.FOREIGN_KEY_VIOLATION, "23503")
                        .sqlStates(DatabaseError.RETRYABLE, "40001", "40P01", "55P03")
                        // 57P01-57P03: the server is shutting down or cannot accept connections right now.
                        .sqlStates(DatabaseError.CONNECTION_LOST, "57P01", "57P02", "57P03")));
    }

    @Override
    ServerInfo detect(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            EngineVersion version = EngineVersion.parse(firstValue(st, "SHOW server_version"));
            String idleMs = firstValue(st, IDLE_SESSION_TIMEOUT);
            Duration idle = idleMs == null || idleMs.equals("0") ? null : Duration.ofMillis(Long.parseLong(idleMs));
            return new ServerInfo(Engine.POSTGRESQL, version, idle,
                    Integer.valueOf(firstValue(st, "SHOW max_connections")));
        }
    }

    @Override
    void examine(DatabaseDoctor doctor, Connection raw, Connection pooled) throws SQLException {
        String encoding = DatabaseDoctor.single(raw, "SELECT pg_encoding_to_char(encoding) FROM pg_database "
                + "WHERE datname = current_database()");
        doctor.add("UTF8".equals(encoding) ? Verdict.OK : Verdict.FAIL, "database encoding", encoding,
                "create the database with ENCODING 'UTF8': other encodings cannot hold every name and description");
        doctor.isolation(raw, "ALTER DATABASE ... SET default_transaction_isolation = 'read committed'");
        String zone = DatabaseDoctor.single(raw, "SHOW TimeZone");
        doctor.add(Verdict.OK, "time zone",
                zone + " (timestamptz values are absolute; the zone only changes how they print)", null);
        doctor.connections(Integer.parseInt(DatabaseDoctor.single(raw, "SHOW max_connections")));
        String idle = DatabaseDoctor.single(raw, IDLE_SESSION_TIMEOUT);
        long idleMs = idle == null ? 0 : Long.parseLong(idle);
        long lifetime = doctor.poolLifetime().toMillis();
        boolean idleOk = idleMs == 0 || idleMs > lifetime;
        doctor.add(idleOk ? Verdict.OK : Verdict.WARN, "idle session timeout vs pool lifetime",
                (idleMs == 0 ? "off" : idleMs + " ms") + " vs " + lifetime + " ms",
                "Switchboard caps each connection's life 30 s below idle_session_timeout; set DB_POOL_MAX_LIFETIME_MS "
                        + "below it so that the cap is not needed");
    }

    @Override
    Map<String, String> driverOptions(Map<String, String> urlOptions) {
        Map<String, String> renamed = new LinkedHashMap<>();
        urlOptions.forEach((k, v) -> renamed.put(OPTION_NAMES.getOrDefault(k, k), v));
        return renamed;
    }

    @Override
    public void configurePool(HikariConfig config, ServerInfo server) {
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.getDataSourceProperties().putIfAbsent("ApplicationName", "switchboard");
        config.getDataSourceProperties().putIfAbsent("reWriteBatchedInserts", "true");
        SharedDialectParts.capLifetime(config, server.idleTimeout());
    }

    @Override
    public <R extends Record> ResultQuery<R> lockSkipLocked(SelectForUpdateStep<R> select) {
        return select.forUpdate().skipLocked();
    }

    @Override
    public Query upsert(DSLContext dsl, Table<?> table, Map<Field<?>, Object> values, List<Field<?>> key,
                        List<Field<?>> updates) {
        return SharedDialectParts.onConflictUpsert(dsl, table, values, key, updates);
    }

    @Override
    public <R extends Record> Query insertIfAbsent(InsertOnDuplicateStep<R> insert, Field<?> key) {
        return SharedDialectParts.onConflictDoNothing(insert, key);
    }

    @Override
    public MigrationLock lockMigrations(Connection connection, Duration timeout) throws SQLException {
        return MigrationLocks.poll(connection, "SELECT pg_try_advisory_lock(" + MIGRATION_LOCK_KEY + ")",
                "SELECT pg_advisory_unlock(" + MIGRATION_LOCK_KEY + ")", timeout);
    }
}
