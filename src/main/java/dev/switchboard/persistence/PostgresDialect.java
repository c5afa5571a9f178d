package dev.switchboard.persistence;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Converter;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectForUpdateStep;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** PostgreSQL 14 and newer. */
final class PostgresDialect implements Dialect {

    /** Advisory locks are scoped to the database, so one fixed key serves every Switchboard database. */
    private static final long MIGRATION_LOCK_KEY = 0x5357_4244_4d49_4752L; // "SWBDMIGR"

    private static final DataType<Instant> TIMESTAMP = SQLDataType.TIMESTAMPWITHTIMEZONE(6)
            .asConvertedDataType(Converter.ofNullable(OffsetDateTime.class, Instant.class,
                    OffsetDateTime::toInstant, instant -> instant.atOffset(ZoneOffset.UTC)));
    private static final DataType<String> JSON = SQLDataType.JSONB
            .asConvertedDataType(Converter.ofNullable(JSONB.class, String.class, JSONB::data, JSONB::jsonb));

    @Override
    public Engine engine() {
        return Engine.POSTGRESQL;
    }

    @Override
    public SQLDialect sqlDialect() {
        return SQLDialect.POSTGRES;
    }

    @Override
    public void configurePool(HikariConfig config, ServerInfo server) {
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.getDataSourceProperties().putIfAbsent("ApplicationName", "switchboard");
        config.getDataSourceProperties().putIfAbsent("reWriteBatchedInserts", "true");
        SharedDialectParts.capLifetime(config, server.idleTimeout());
    }

    @Override
    public DataType<UUID> uuidType() {
        return SQLDataType.UUID;
    }

    @Override
    public DataType<Instant> timestampType() {
        return TIMESTAMP;
    }

    @Override
    public DataType<String> jsonType() {
        return JSON;
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
    public DatabaseError classify(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "23505" -> DatabaseError.UNIQUE_VIOLATION;
            case "23503" -> DatabaseError.FOREIGN_KEY_VIOLATION;
            case "40001", "40P01", "55P03" -> DatabaseError.RETRYABLE;
            // 57P01-57P03: the server is shutting down or cannot accept connections right now.
            case "57P01", "57P02", "57P03" -> DatabaseError.CONNECTION_LOST;
            default -> SharedDialectParts.isConnectionLoss(e) ? DatabaseError.CONNECTION_LOST : DatabaseError.OTHER;
        };
    }

    @Override
    public MigrationLock lockMigrations(Connection connection, Duration timeout) throws SQLException {
        return MigrationLocks.poll(connection, "SELECT pg_try_advisory_lock(" + MIGRATION_LOCK_KEY + ")",
                "SELECT pg_advisory_unlock(" + MIGRATION_LOCK_KEY + ")", timeout);
    }

    @Override
    public boolean embedded() {
        return false;
    }

    @Override
    public boolean singleWriter() {
        return false;
    }

    @Override
    public int defaultPoolSize() {
        return 10;
    }

    @Override
    public int maxBindParameters() {
        return 32_767;
    }
}
