package dev.switchboard.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The waiting and releasing that every engine's migration lock shares. */
final class MigrationLocks {

    private static final Logger log = LoggerFactory.getLogger(MigrationLocks.class);
    private static final long PAUSE_MILLIS = 250;

    private MigrationLocks() {
    }

    /**
     * Runs {@code trySql} (whose first column is true, or 1, once the lock is taken) until it succeeds or
     * {@code timeout} passes; the returned lock runs {@code unlockSql} when closed.
     */
    static MigrationLock poll(Connection connection, String trySql, String unlockSql, Duration timeout)
            throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Statement attempt = connection.createStatement()) {
            while (true) {
                try (ResultSet rs = attempt.executeQuery(trySql)) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return () -> release(connection, unlockSql);
                    }
                }
                pauseOrGiveUp(deadline, timeout);
            }
        }
    }

    /** Sleeps before the next attempt, or fails once the deadline has passed. */
    static void pauseOrGiveUp(long deadlineNanos, Duration timeout) throws SQLException {
        if (System.nanoTime() > deadlineNanos) {
            throw new SQLException("another process held the migration lock for more than " + timeout.toSeconds()
                    + " s; if it is stuck, stop it: its lock is released with its connection");
        }
        log.debug("Waiting for the migration lock held by another process");
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the migration lock", e);
        }
    }

    /** Runs the unlock statement; a failure only means the session ends with the lock, which frees it anyway. */
    static void release(Connection connection, String unlockSql) {
        try (Statement st = connection.createStatement()) {
            st.execute(unlockSql);
        } catch (SQLException e) {
            log.warn("Could not release the migration lock ({}); it is freed when the connection closes",
                    e.getMessage());
        }
    }
}
