package dev.switchboard.persistence;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectForUpdateStep;
import org.jooq.Table;

/** MariaDB 10.6 and newer; {@link MySqlDialect} adapts it to MySQL 8. */
class MariaDbDialect implements Dialect {

    /** DATETIME(6) holding UTC, bound as text so that neither the driver nor the JVM applies a time zone. */
    private static final DataType<Instant> TIMESTAMP = SharedDialectParts.instantAsText("yyyy-MM-dd", ' ', "");

    @Override
    public Engine engine() {
        return Engine.MARIADB;
    }

    @Override
    public SQLDialect sqlDialect() {
        return SQLDialect.MARIADB;
    }

    @Override
    public void configurePool(HikariConfig config, ServerInfo server) {
        // The server default, REPEATABLE READ, takes gap locks and deadlocks more under concurrent writers.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionInitSql("SET NAMES utf8mb4, time_zone = '+00:00'");
        SharedDialectParts.capLifetime(config, server.idleTimeout());
    }

    @Override
    public DataType<UUID> uuidType() {
        return SharedDialectParts.UUID_AS_TEXT;
    }

    @Override
    public DataType<Instant> timestampType() {
        return TIMESTAMP;
    }

    @Override
    public DataType<String> jsonType() {
        return SharedDialectParts.JSON_AS_TEXT;
    }

    @Override
    public <R extends Record> ResultQuery<R> lockSkipLocked(SelectForUpdateStep<R> select) {
        // jOOQ renders LIMIT before FOR UPDATE SKIP LOCKED, the only order MariaDB accepts.
        return select.forUpdate().skipLocked();
    }

    @Override
    public Query upsert(DSLContext dsl, Table<?> table, Map<Field<?>, Object> values, List<Field<?>> key,
                        List<Field<?>> updates) {
        var insert = dsl.insertInto(table).set(values).onDuplicateKeyUpdate();
        if (updates.isEmpty()) {
            // "Do nothing" as a no-op update: INSERT IGNORE would also swallow errors that are not duplicates.
            return insert.set(selfAssignment(key.getFirst()));
        }
        return insert.set(SharedDialectParts.subset(values, updates));
    }

    private static Map<Field<?>, Object> selfAssignment(Field<?> field) {
        return Map.of(field, field);
    }

    @Override
    public DatabaseError classify(SQLException e) {
        return switch (e.getErrorCode()) {
            case 1062, 1586 -> DatabaseError.UNIQUE_VIOLATION;
            case 1451, 1452, 1216, 1217 -> DatabaseError.FOREIGN_KEY_VIOLATION;
            // 1213 is also what a Galera certification failure reports.
            case 1213, 1205 -> DatabaseError.RETRYABLE;
            case 1927, 2006, 2013 -> DatabaseError.CONNECTION_LOST;
            default -> SharedDialectParts.isConnectionLoss(e) ? DatabaseError.CONNECTION_LOST : DatabaseError.OTHER;
        };
    }

    @Override
    public MigrationLock lockMigrations(Connection connection, Duration timeout) throws SQLException {
        // GET_LOCK is server-wide, so the name carries the database; MariaDB caps lock names at 64 characters.
        String name = "LEFT(CONCAT('switchboard.migrations.', DATABASE()), 64)";
        return MigrationLocks.poll(connection, "SELECT GET_LOCK(" + name + ", 1)", "SELECT RELEASE_LOCK(" + name + ")",
                timeout);
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
        return 65_535;
    }
}
