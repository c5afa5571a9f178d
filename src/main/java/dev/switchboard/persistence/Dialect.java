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
import org.jooq.InsertOnDuplicateStep;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectForUpdateStep;
import org.jooq.Table;

/**
 * Everything that differs between database engines, and nothing else. Code outside {@code persistence}
 * asks the dialect instead of naming an engine. A method is added here only when a real difference is
 * found, and each one says which. The fixed facts (types, limits, flags) are answered from each engine's
 * {@code EngineFacts}; only behaviour is written per engine.
 */
public interface Dialect {

    Engine engine();

    /** How jOOQ renders SQL for this engine. */
    SQLDialect sqlDialect();

    /** Connection settings: isolation, session variables, pragmas, and a lifetime the server will not cut short. */
    void configurePool(HikariConfig config, ServerInfo server);

    /** UUIDs are native on PostgreSQL and 36 characters of text elsewhere. */
    DataType<UUID> uuidType();

    /** UTC instants with microseconds: timestamptz, DATETIME(6) holding UTC, or a fixed-width ISO-8601 string. */
    DataType<Instant> timestampType();

    /** Opaque JSON documents, kept as written: json on PostgreSQL needs a typed bind, elsewhere the text is bound as is. */
    DataType<String> jsonType();

    /**
     * Adds FOR UPDATE SKIP LOCKED to a select that already carries its LIMIT, in the order the engine wants.
     * On SQLite there are no row locks: the surrounding write transaction already holds the only writer lock.
     */
    <R extends Record> ResultQuery<R> lockSkipLocked(SelectForUpdateStep<R> select);

    /**
     * An insert that updates {@code updates} when a row with the same {@code key} exists, or leaves it alone
     * when {@code updates} is empty. MariaDB and MySQL cannot name the key: their ON DUPLICATE KEY fires on
     * any unique key, so only use this on tables whose other unique keys cannot collide.
     */
    Query upsert(DSLContext dsl, Table<?> table, Map<Field<?>, Object> values, List<Field<?>> key,
                 List<Field<?>> updates);

    /**
     * Makes {@code insert}, of one row or many, skip each row whose {@code key} is already stored instead of
     * failing, so that writing the same rows again stores each once. PostgreSQL and SQLite name the key
     * (ON CONFLICT (key) DO NOTHING). MariaDB and MySQL assign the key to itself ON DUPLICATE KEY, which fires on
     * any unique key, so only use this on tables whose other unique keys cannot collide; unlike INSERT IGNORE it
     * lets every error that is not a duplicate through.
     */
    <R extends Record> Query insertIfAbsent(InsertOnDuplicateStep<R> insert, Field<?> key);

    /** What a failure means, from its SQLState, vendor code or SQLite result code. */
    DatabaseError classify(SQLException e);

    /**
     * Takes the migration lock on {@code connection}, waiting at most {@code timeout}. The lock belongs to the
     * connection's session (or, on SQLite, to the process), so a killed process cannot leave it behind.
     */
    MigrationLock lockMigrations(Connection connection, Duration timeout) throws SQLException;

    /** True when the engine allows one writer at a time, so the process should queue its own writers. */
    boolean singleWriter();

    /**
     * True when the database is a file this process opens itself, rather than a server it connects to. Files kept
     * beside it (a development key, say) then belong to the same deployment and share its backups and volume.
     */
    boolean embedded();

    /** The pool size when the operator sets none: SQLite has one writer and gains little from many connections. */
    int defaultPoolSize();

    /** The most bind parameters one statement may carry. */
    int maxBindParameters();

    /** The dialect for an engine. */
    static Dialect of(Engine engine) {
        return EngineDialect.of(engine);
    }
}
