package dev.switchboard.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Reads the engine, its version and its limits from a live connection; MariaDB and MySQL by what the server says. */
final class EngineDetection {

    private EngineDetection() {
    }

    static ServerInfo detect(Connection connection, Engine family) throws SQLException {
        try (Statement st = connection.createStatement()) {
            return switch (family) {
                case SQLITE -> new ServerInfo(Engine.SQLITE, EngineVersion.parse(single(st, "SELECT sqlite_version()")),
                        null, null);
                case POSTGRESQL -> new ServerInfo(Engine.POSTGRESQL,
                        EngineVersion.parse(single(st, "SHOW server_version")), postgresIdleTimeout(st),
                        Integer.valueOf(single(st, "SHOW max_connections")));
                case MARIADB, MYSQL -> mariaDbFamily(st);
            };
        }
    }

    private static ServerInfo mariaDbFamily(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT VERSION(), @@wait_timeout, @@max_connections")) {
            rs.next();
            String version = rs.getString(1);
            Engine engine = version.toLowerCase(java.util.Locale.ROOT).contains("mariadb") ? Engine.MARIADB : Engine.MYSQL;
            return new ServerInfo(engine, EngineVersion.parse(version), Duration.ofSeconds(rs.getLong(2)), rs.getInt(3));
        }
    }

    /** idle_session_timeout in milliseconds (PostgreSQL 14+); 0 means sessions may idle forever. */
    private static Duration postgresIdleTimeout(Statement st) throws SQLException {
        String ms = single(st, "SELECT setting FROM pg_settings WHERE name = 'idle_session_timeout'");
        return ms == null || ms.equals("0") ? null : Duration.ofMillis(Long.parseLong(ms));
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
