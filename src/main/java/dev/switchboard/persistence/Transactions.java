package dev.switchboard.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way repositories touch the database. Failures come out as {@link DataAccessFailure} subtypes that
 * mean the same on every engine. Write transactions that hit a deadlock or a busy database are rolled back
 * and retried with jittered exponential backoff, a bounded number of times.
 */
public final class Transactions {

    private static final Logger log = LoggerFactory.getLogger(Transactions.class);

    private final DSLContext dsl;
    private final Dialect dialect;
    private final int maxAttempts;
    private final Duration firstBackoff;
    /** Queues this process's writers where the engine allows only one (SQLite), instead of spinning on busy. */
    private final ReentrantLock writer;
    private final AtomicLong writes = new AtomicLong();

    public Transactions(DSLContext dsl, Dialect dialect, int maxAttempts, Duration firstBackoff) {
        this.dsl = dsl;
        this.dialect = dialect;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.writer = dialect.singleWriter() ? new ReentrantLock(true) : null;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Runs reads outside a transaction. */
    public <T> T read(Function<DSLContext, T> work) {
        try {
            return work.apply(dsl);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /**
     * How many write transactions this process has ended, committed or not. A cache of what the database holds
     * compares it with the count it last saw, to learn without a query that a write may have changed something.
     */
    public long writes() {
        return writes.get();
    }

    /** Runs {@code work} in one transaction, retrying it whole when the engine reports a transient conflict. */
    public <T> T write(Function<DSLContext, T> work) {
        return write(null, work);
    }

    /**
     * As {@link #write(Function)}, and every round trip of the transaction (its statements, commit and rollback) waits
     * for the server at most {@code networkDeadline}: past it the connection is given up as broken and the write fails
     * as a lost connection does. For background writers that must not hang on a connection whose peer went silent
     * (a network partition sends no reset). Engines without a network (a local file) ignore it.
     */
    public <T> T write(Duration networkDeadline, Function<DSLContext, T> work) {
        try {
            return writeRetrying(networkDeadline, work);
        } finally {
            // After the commit, so a reader that sees the new count also sees what was written.
            writes.incrementAndGet();
        }
    }

    private <T> T writeRetrying(Duration networkDeadline, Function<DSLContext, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return writeOnce(networkDeadline, work);
            } catch (RuntimeException e) {
                RuntimeException translated = translate(e);
                if (!(translated instanceof DataAccessFailure f) || f.kind() != DatabaseError.RETRYABLE) {
                    throw translated;
                }
                if (attempt >= maxAttempts) {
                    throw new DatabaseBusyException("the database stayed busy through " + attempt + " attempts", e);
                }
                log.debug("Retrying a transaction after a transient conflict (attempt {}): {}", attempt,
                        e.getMessage());
                pause(attempt);
            }
        }
    }

    private <T> T writeOnce(Duration networkDeadline, Function<DSLContext, T> work) {
        if (writer == null) {
            return inTransaction(networkDeadline, work);
        }
        writer.lock();
        try {
            return inTransaction(networkDeadline, work);
        } finally {
            writer.unlock();
        }
    }

    /** Sets the connection's network timeout; the pool puts the old one back when the connection returns. */
    private static void bound(Connection connection, Duration networkDeadline) {
        try {
            connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, networkDeadline.toMillis()));
        } catch (SQLException e) {
            // A file database has no network to wait for; a broken connection fails at the next call anyway.
        }
    }

    /**
     * One transaction on a pooled connection. Not jOOQ's transactionResult: that reads the connection's isolation
     * level at every begin, to restore it at the end, and some drivers answer that with a round trip to the server
     * (a SHOW on PostgreSQL), which made it a third of the round trips of a short write. Isolation is set once, on
     * the pool, and nothing here changes it.
     */
    private <T> T inTransaction(Duration networkDeadline, Function<DSLContext, T> work) {
        ConnectionProvider connections = dsl.configuration().connectionProvider();
        Connection connection = connections.acquire();
        try {
            if (networkDeadline != null) {
                bound(connection, networkDeadline);
            }
            connection.setAutoCommit(false);
            T result = work.apply(dsl.configuration().derive(connection).dsl());
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollback(connection, e);
            throw new DataAccessException("the transaction failed: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            rollback(connection, e);
            throw e;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // a broken connection: the pool sees the failure and discards it
            }
            connections.release(connection);
        }
    }

    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void pause(int attempt) {
        long base = firstBackoff.toMillis() << Math.min(attempt - 1, 10);
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        try {
            Thread.sleep(jittered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseBusyException("interrupted while waiting to retry", e);
        }
    }

    /** Maps a failure to the engine-independent type its SQL cause stands for; other failures pass through. */
    private RuntimeException translate(RuntimeException e) {
        if (e instanceof DataAccessFailure) {
            return e;
        }
        SQLException sql = sqlCause(e);
        if (sql == null) {
            return e;
        }
        return switch (dialect.classify(sql)) {
            case UNIQUE_VIOLATION -> new UniqueViolationException("a unique key already holds this value", e);
            case FOREIGN_KEY_VIOLATION -> new ForeignKeyViolationException("a referenced row is missing or in use", e);
            case RETRYABLE -> new DataAccessFailure(DatabaseError.RETRYABLE, "transient conflict: " + sql.getMessage(), e);
            case CONNECTION_LOST -> new DatabaseUnavailableException("the database connection failed", e);
            case OTHER -> new DataAccessFailure(DatabaseError.OTHER, "database error: " + sql.getMessage(), e);
        };
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                // Drivers chain the more specific exception as the next one (batch updates).
                SQLException next = sql.getNextException();
                return next != null && sql.getSQLState() == null ? next : sql;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
