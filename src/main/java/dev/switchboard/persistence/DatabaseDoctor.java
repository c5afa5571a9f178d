package dev.switchboard.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the engine's settings against what Switchboard needs and says what to change, and why. FAIL means
 * something that breaks Switchboard or its data; WARN means something Switchboard works around, but that an
 * operator should fix. The session checked is the one the server hands out, before Switchboard's own
 * connection settings, so server defaults show. The checks every engine shares live here; each engine's own
 * checks live in its dialect class, which reports them through {@link #add}.
 */
public final class DatabaseDoctor {

    public enum Verdict { OK, WARN, FAIL }

    /** One check: what was looked at, what was found, and what to do about it. */
    public record Finding(Verdict verdict, String check, String observed, String advice) {
    }

    private final Database db;
    private final DatabaseSettings gateway;
    private final List<Finding> findings = new ArrayList<>();

    private DatabaseDoctor(Database db, DatabaseSettings gateway) {
        this.db = db;
        this.gateway = gateway;
    }

    /**
     * @param gateway the settings the gateway runs with (DB_POOL_*): the pool it would open is what the server's
     *                limits are compared with, not the small one this check uses
     */
    public static List<Finding> examine(Database db, DatabaseSettings gateway) throws SQLException {
        DatabaseDoctor doctor = new DatabaseDoctor(db, gateway);
        try (Connection raw = db.openUnconfiguredConnection(); Connection pooled = db.dataSource().getConnection()) {
            doctor.version();
            db.engineDialect().examine(doctor, raw, pooled);
        }
        return List.copyOf(doctor.findings);
    }

    private void version() {
        ServerInfo s = db.server();
        EngineVersion min = s.engine().minimumVersion();
        boolean ok = !s.version().isBefore(min);
        add(ok ? Verdict.OK : Verdict.FAIL, "version", s.engine().displayName() + " " + s.version(),
                ok ? null : "upgrade to " + min + " or newer: older versions lack features the schema relies on");
    }

    /** The connection lifetime the gateway's pool runs with, which the server's idle cut-off must exceed. */
    Duration poolLifetime() {
        return gateway.maxLifetime();
    }

    /** Whether the server hands out READ COMMITTED sessions, and {@code howToFix} it where it does not. */
    void isolation(Connection raw, String howToFix) throws SQLException {
        boolean readCommitted = raw.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED;
        add(readCommitted ? Verdict.OK : Verdict.WARN, "isolation level", isolationName(raw.getTransactionIsolation()),
                howToFix + ". Switchboard sets READ COMMITTED on its own connections; stronger levels take more "
                        + "locks and deadlock more for any other client");
    }

    /** Whether the server's connection limit leaves room for the gateway's pool, replicas and operators. */
    void connections(int maxConnections) {
        int pool = gateway.poolSize() != null ? gateway.poolSize() : db.dialect().defaultPoolSize();
        Verdict verdict = maxConnections < pool + 5 ? Verdict.FAIL
                : pool * 2 > maxConnections ? Verdict.WARN : Verdict.OK;
        add(verdict, "max_connections vs pool size", maxConnections + " vs " + pool,
                "allow at least DB_POOL_SIZE × replicas + 5 connections (the 5 for migrations and operators)");
    }

    /** Records one finding; the advice is kept only when something is to change. */
    void add(Verdict verdict, String check, String observed, String advice) {
        findings.add(new Finding(verdict, check, observed, verdict == Verdict.OK ? null : advice));
    }

    private static String isolationName(int level) {
        return switch (level) {
            case Connection.TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
            case Connection.TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
            case Connection.TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
            case Connection.TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
            default -> "level " + level;
        };
    }

    /** The first column of the first row, or null when there is no row. */
    static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
