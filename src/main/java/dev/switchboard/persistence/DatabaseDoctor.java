package dev.switchboard.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks the engine's settings against what Switchboard needs and says what to change, and why. FAIL means
 * something that breaks Switchboard or its data; WARN means something Switchboard works around, but that an
 * operator should fix. The session checked is the one the server hands out, before Switchboard's own
 * connection settings, so server defaults show.
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
            switch (db.server().engine()) {
                case SQLITE -> doctor.sqlite(raw, pooled);
                case POSTGRESQL -> doctor.postgres(raw);
                case MARIADB, MYSQL -> doctor.mariaDb(raw);
            }
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

    private void sqlite(Connection raw, Connection pooled) throws SQLException {
        String journal = single(raw, "PRAGMA journal_mode");
        add("wal".equalsIgnoreCase(journal) ? Verdict.OK : Verdict.WARN, "journal mode", journal,
                "Switchboard switches the file to WAL when it connects; until then readers block the writer");
        int busy = Integer.parseInt(single(pooled, "PRAGMA busy_timeout"));
        add(busy >= 5000 ? Verdict.OK : Verdict.FAIL, "busy timeout", busy + " ms",
                "writers must wait at least 5000 ms for the lock instead of failing at once");
        add("1".equals(single(pooled, "PRAGMA foreign_keys")) ? Verdict.OK : Verdict.FAIL, "foreign keys",
                single(pooled, "PRAGMA foreign_keys"), "SQLite enforces foreign keys only when each connection asks");
        String encoding = single(raw, "PRAGMA encoding");
        add(encoding.toUpperCase(Locale.ROOT).startsWith("UTF-8") ? Verdict.OK : Verdict.FAIL, "encoding", encoding,
                "create the database file anew: SQLite fixes the encoding when the file is created");
    }

    private void postgres(Connection raw) throws SQLException {
        String encoding = single(raw, "SELECT pg_encoding_to_char(encoding) FROM pg_database "
                + "WHERE datname = current_database()");
        add("UTF8".equals(encoding) ? Verdict.OK : Verdict.FAIL, "database encoding", encoding,
                "create the database with ENCODING 'UTF8': other encodings cannot hold every name and description");
        isolation(raw, "ALTER DATABASE ... SET default_transaction_isolation = 'read committed'");
        String zone = single(raw, "SHOW TimeZone");
        add(Verdict.OK, "time zone", zone + " (timestamptz values are absolute; the zone only changes how they print)",
                null);
        connections(Integer.parseInt(single(raw, "SHOW max_connections")));
        String idle = single(raw, "SELECT setting FROM pg_settings WHERE name = 'idle_session_timeout'");
        long idleMs = idle == null ? 0 : Long.parseLong(idle);
        long lifetime = gateway.maxLifetime().toMillis();
        boolean idleOk = idleMs == 0 || idleMs > lifetime;
        add(idleOk ? Verdict.OK : Verdict.WARN, "idle session timeout vs pool lifetime",
                (idleMs == 0 ? "off" : idleMs + " ms") + " vs " + lifetime + " ms",
                "Switchboard caps each connection's life 30 s below idle_session_timeout; set DB_POOL_MAX_LIFETIME_MS "
                        + "below it so that the cap is not needed");
    }

    private void mariaDb(Connection raw) throws SQLException {
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT @@character_set_database, @@collation_database, @@character_set_server, @@wait_timeout, "
                        + "@@max_connections, @@global.time_zone, @@system_time_zone")) {
            rs.next();
            String charset = rs.getString(1);
            add("utf8mb4".equals(charset) ? Verdict.OK : Verdict.FAIL, "database character set",
                    charset + " / " + rs.getString(2),
                    "ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin: Switchboard's columns declare utf8mb4, "
                            + "but its migration history and anything created without a character set take this default");
            add("utf8mb4".equals(rs.getString(3)) ? Verdict.OK : Verdict.WARN, "server character set", rs.getString(3),
                    "set character_set_server = utf8mb4 so that new databases default to it");
            isolationAndZone(raw, rs.getString(6), rs.getString(7));
            connections(rs.getInt(5));
            long waitMs = Duration.ofSeconds(rs.getLong(4)).toMillis();
            long lifetime = gateway.maxLifetime().toMillis();
            add(lifetime < waitMs ? Verdict.OK : Verdict.WARN, "wait_timeout vs pool lifetime",
                    waitMs + " ms vs " + lifetime + " ms",
                    "Switchboard caps each connection's life 30 s below wait_timeout; set DB_POOL_MAX_LIFETIME_MS "
                            + "below it so that the cap is not needed");
        }
        columnCharsets(raw);
    }

    private void isolationAndZone(Connection raw, String globalZone, String systemZone) throws SQLException {
        isolation(raw, "set transaction_isolation = READ-COMMITTED (tx_isolation before MariaDB 11.1) in the "
                + "server's configuration");
        String zone = "SYSTEM".equalsIgnoreCase(globalZone) ? systemZone : globalZone;
        boolean utc = zone != null && (zone.equals("+00:00") || zone.equalsIgnoreCase("UTC"));
        add(utc ? Verdict.OK : Verdict.WARN, "server time zone", zone,
                "Switchboard writes UTC and sets its sessions to +00:00, but other tools that use NOW() with "
                        + "this zone would write local times into the same columns; run the server in UTC");
    }

    private void isolation(Connection raw, String howToFix) throws SQLException {
        boolean readCommitted = raw.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED;
        add(readCommitted ? Verdict.OK : Verdict.WARN, "isolation level", isolationName(raw.getTransactionIsolation()),
                howToFix + ". Switchboard sets READ COMMITTED on its own connections; stronger levels take more "
                        + "locks and deadlock more for any other client");
    }

    private void connections(int maxConnections) {
        int pool = gateway.poolSize() != null ? gateway.poolSize() : db.dialect().defaultPoolSize();
        Verdict verdict = maxConnections < pool + 5 ? Verdict.FAIL
                : pool * 2 > maxConnections ? Verdict.WARN : Verdict.OK;
        add(verdict, "max_connections vs pool size", maxConnections + " vs " + pool,
                "allow at least DB_POOL_SIZE × replicas + 5 connections (the 5 for migrations and operators)");
    }

    private void columnCharsets(Connection raw) throws SQLException {
        List<String> wrong = new ArrayList<>();
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT TABLE_NAME, COLUMN_NAME, CHARACTER_SET_NAME FROM information_schema.COLUMNS "
                        + "WHERE TABLE_SCHEMA = DATABASE() AND CHARACTER_SET_NAME NOT IN ('utf8mb4', 'ascii') "
                        + "AND TABLE_NAME NOT LIKE 'DATABASECHANGELOG%'")) {
            while (rs.next()) {
                wrong.add(rs.getString(1) + "." + rs.getString(2) + " (" + rs.getString(3) + ")");
            }
        }
        add(wrong.isEmpty() ? Verdict.OK : Verdict.FAIL, "column character sets",
                wrong.isEmpty() ? "utf8mb4 (text) and ascii (ids)" : String.join(", ", wrong),
                "these columns cannot hold every character; convert them with ALTER TABLE ... CONVERT TO "
                        + "CHARACTER SET utf8mb4");
    }

    private void add(Verdict verdict, String check, String observed, String advice) {
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

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
