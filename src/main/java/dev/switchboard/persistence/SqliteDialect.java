package dev.switchboard.persistence;

import com.zaxxer.hikari.HikariConfig;
import dev.switchboard.persistence.DatabaseDoctor.Verdict;
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
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
import org.sqlite.SQLiteException;

/** SQLite 3.35 and newer, embedded through the xerial driver. One writer at a time, one process per file. */
final class SqliteDialect extends EngineDialect {

    /** Fixed-width ISO-8601 UTC with microseconds: text order is time order. */
    private static final DataType<Instant> TIMESTAMP = SharedDialectParts.instantAsText("yyyy-MM-dd", 'T', "Z");
    private static final int MIN_BUSY_TIMEOUT_MS = 5_000;
    /** SQLITE_CONSTRAINT without the extended code: only the message says which constraint failed. */
    private static final int SQLITE_CONSTRAINT = 19;
    /** Primary result codes (the low byte of an extended code): SQLITE_BUSY, SQLITE_LOCKED and their variants. */
    private static final Map<Integer, DatabaseError> BY_PRIMARY_CODE =
            Map.of(5, DatabaseError.RETRYABLE, 6, DatabaseError.RETRYABLE);
    /** A file lock is held by the process; within one JVM the same file also needs a JVM-wide lock. */
    private static final Map<Path, ReentrantLock> IN_PROCESS_MIGRATION_LOCKS = new ConcurrentHashMap<>();

    SqliteDialect() {
        super(new EngineFacts(Engine.SQLITE, SQLDialect.SQLITE,
                SharedDialectParts.UUID_AS_TEXT, TIMESTAMP, SharedDialectParts.JSON_AS_TEXT,
                true, true,  // embedded, single writer
                4, 32_766,   // default pool size (one writer gains little from many connections), bind parameters
                new EngineFacts.UrlForm(Engine.SQLITE, List.of("sqlite"), List.of("pysqlite"), "sqlite", "sqlite", 0),
                EngineFacts.ErrorCodes.NONE
                        .codes(DatabaseError.UNIQUE_VIOLATION, 2067, 1555) // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
                        .codes(DatabaseError.FOREIGN_KEY_VIOLATION, 787)));  // SQLITE_CONSTRAINT_FOREIGNKEY
    }

    @Override
    ServerInfo detect(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            return new ServerInfo(Engine.SQLITE, EngineVersion.parse(firstValue(st, "SELECT sqlite_version()")),
                    null, null);
        }
    }

    @Override
    void examine(DatabaseDoctor doctor, Connection raw, Connection pooled) throws SQLException {
        String journal = DatabaseDoctor.single(raw, "PRAGMA journal_mode");
        doctor.add("wal".equalsIgnoreCase(journal) ? Verdict.OK : Verdict.WARN, "journal mode", journal,
                "Switchboard switches the file to WAL when it connects; until then readers block the writer");
        int busy = Integer.parseInt(DatabaseDoctor.single(pooled, "PRAGMA busy_timeout"));
        doctor.add(busy >= MIN_BUSY_TIMEOUT_MS ? Verdict.OK : Verdict.FAIL, "busy timeout", busy + " ms",
                "writers must wait at least " + MIN_BUSY_TIMEOUT_MS + " ms for the lock instead of failing at once");
        String foreignKeys = DatabaseDoctor.single(pooled, "PRAGMA foreign_keys");
        doctor.add("1".equals(foreignKeys) ? Verdict.OK : Verdict.FAIL, "foreign keys", foreignKeys,
                "SQLite enforces foreign keys only when each connection asks");
        String encoding = DatabaseDoctor.single(raw, "PRAGMA encoding");
        doctor.add(encoding.toUpperCase(Locale.ROOT).startsWith("UTF-8") ? Verdict.OK : Verdict.FAIL, "encoding",
                encoding, "create the database file anew: SQLite fixes the encoding when the file is created");
    }

    /** sqlite:///relative/path.db or sqlite:////absolute/path.db: the path follows the empty host. */
    @Override
    ConnectionTarget fromUrl(String scheme, String rest, String original) {
        int q = rest.indexOf('?');
        String pathPart = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> options = q < 0 ? Map.of() : DatabaseUrl.query(rest.substring(q + 1), original);
        if (!pathPart.startsWith("/")) {
            throw DatabaseUrl.invalid("a SQLite URL has no host: write sqlite:///relative.db or "
                    + "sqlite:////absolute/path.db", original);
        }
        String path = DatabaseUrl.decode(pathPart.substring(1), original);
        if (path.isEmpty() || path.equals(":memory:")) {
            throw DatabaseUrl.invalid("SQLite needs a database file; an in-memory database is not shared between "
                    + "connections", original);
        }
        return target(Path.of(path), options, original);
    }

    @Override
    ConnectionTarget fromJdbcUrl(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        if (path.startsWith("file:")) {
            path = path.substring(5);
        }
        if (path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory")) {
            throw DatabaseUrl.invalid("SQLite needs a database file; an in-memory database is not shared between "
                    + "connections", url);
        }
        Map<String, String> options = q < 0 ? Map.of() : DatabaseUrl.query(rest.substring(q + 1), url);
        return target(Path.of(path), options, url);
    }

    private static ConnectionTarget target(Path file, Map<String, String> options, String shown) {
        return new ConnectionTarget(Engine.SQLITE, "jdbc:sqlite:" + file, null, null, options,
                DatabaseUrl.mask(shown), file);
    }

    @Override
    String urlExample() {
        return "sqlite:///relative/path.db, sqlite:////absolute/path.db";
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
    public <R extends Record> ResultQuery<R> lockSkipLocked(SelectForUpdateStep<R> select) {
        return select;
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
    int errorCode(SQLException e) {
        return e instanceof SQLiteException se ? se.getResultCode().code : e.getErrorCode();
    }

    @Override
    DatabaseError unlisted(SQLException e, int code) {
        if (code == SQLITE_CONSTRAINT) {
            return constraintFromMessage(e);
        }
        return BY_PRIMARY_CODE.getOrDefault(code & 0xff, DatabaseError.OTHER);
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
}
