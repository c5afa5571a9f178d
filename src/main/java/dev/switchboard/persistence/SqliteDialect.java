package dev.switchboard.persistence;

import com.zaxxer.hikari.HikariConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectForUpdateStep;
import org.jooq.Table;
import org.sqlite.SQLiteException;

/** SQLite 3.35 and newer, embedded through the xerial driver. One writer at a time, one process per file. */
final class SqliteDialect implements Dialect {

    /** Fixed-width ISO-8601 UTC with microseconds: text order is time order. */
    private static final DataType<Instant> TIMESTAMP = SharedDialectParts.instantAsText("yyyy-MM-dd", 'T', "Z");
    private static final int MIN_BUSY_TIMEOUT_MS = 5_000;
    /** A file lock is held by the process; within one JVM the same file also needs a JVM-wide lock. */
    private static final Map<Path, ReentrantLock> IN_PROCESS_MIGRATION_LOCKS = new ConcurrentHashMap<>();

    @Override
    public Engine engine() {
        return Engine.SQLITE;
    }

    @Override
    public SQLDialect sqlDialect() {
        return SQLDialect.SQLITE;
    }

    @Override
    public void configurePool(HikariConfig config, ServerInfo server) {
        Properties props = config.getDataSourceProperties();
        props.setProperty("journal_mode", "WAL");
        props.setProperty("synchronous", "NORMAL");
        props.setProperty("foreign_keys", "true");
        // Write transactions take the write lock when they begin, so they queue on busy_timeout
        // instead of failing at their first write with SQLITE_BUSY.
        props.setProperty("transaction_mode", "IMMEDIATE");
        int busy = parseOr(props.getProperty("busy_timeout"), 0);
        props.setProperty("busy_timeout", String.valueOf(Math.max(busy, MIN_BUSY_TIMEOUT_MS)));
    }

    private static int parseOr(String text, int fallback) {
        try {
            return text == null ? fallback : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
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
        return select;
    }

    @Override
    public Query upsert(DSLContext dsl, Table<?> table, Map<Field<?>, Object> values, List<Field<?>> key,
                        List<Field<?>> updates) {
        return SharedDialectParts.onConflictUpsert(dsl, table, values, key, updates);
    }

    @Override
    public DatabaseError classify(SQLException e) {
        int code = e instanceof SQLiteException se ? se.getResultCode().code : e.getErrorCode();
        return switch (code) {
            case 2067, 1555 -> DatabaseError.UNIQUE_VIOLATION; // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
            case 787 -> DatabaseError.FOREIGN_KEY_VIOLATION;   // SQLITE_CONSTRAINT_FOREIGNKEY
            case 19 -> constraintFromMessage(e);               // SQLITE_CONSTRAINT without the extended code
            default -> switch (code & 0xff) {
                case 5, 6 -> DatabaseError.RETRYABLE;           // SQLITE_BUSY, SQLITE_LOCKED and their variants
                default -> DatabaseError.OTHER;
            };
        };
    }

    private static DatabaseError constraintFromMessage(SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("UNIQUE constraint failed") || message.contains("PRIMARY KEY")) {
            return DatabaseError.UNIQUE_VIOLATION;
        }
        return message.contains("FOREIGN KEY constraint failed")
                ? DatabaseError.FOREIGN_KEY_VIOLATION : DatabaseError.OTHER;
    }

    @Override
    public MigrationLock lockMigrations(Connection connection, Duration timeout) throws SQLException {
        Path database = databaseFile(connection);
        Path lockFile = database.resolveSibling(database.getFileName() + ".migration-lock");
        ReentrantLock inProcess = IN_PROCESS_MIGRATION_LOCKS.computeIfAbsent(database, p -> new ReentrantLock());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!inProcess.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLException("another migration in this process held the lock for " + timeout.toSeconds()
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the migration lock", e);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (channel.tryLock() == null) {
                MigrationLocks.pauseOrGiveUp(deadline, timeout);
            }
            FileChannel held = channel;
            return () -> {
                try {
                    held.close(); // closing the channel releases its lock
                } catch (IOException e) {
                    // ending the process frees an OS file lock anyway
                } finally {
                    inProcess.unlock();
                }
            };
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(channel);
            inProcess.unlock();
            throw e instanceof SQLException se ? se : new SQLException("cannot lock " + lockFile + ": " + e, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    private static Path databaseFile(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString("name"))) {
                    return Path.of(rs.getString("file")).toAbsolutePath().normalize();
                }
            }
        }
        throw new SQLException("the SQLite connection has no main database file");
    }

    @Override
    public boolean embedded() {
        return true;
    }

    @Override
    public boolean singleWriter() {
        return true;
    }

    @Override
    public int defaultPoolSize() {
        return 4;
    }

    @Override
    public int maxBindParameters() {
        return 32_766;
    }
}
