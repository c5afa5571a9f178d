package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Every pooled connection carries the engine's settings from DATABASES.md. */
class ConnectionSettingsTest {

    @EngineTest
    void pooledConnectionsCarryTheEnginesSettings(TestEngine engine) throws SQLException {
        Database db = engine.shared();
        try (Connection c = db.dataSource().getConnection()) {
            switch (engine.engine()) {
                case SQLITE -> {
                    assertThat(single(c, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
                    assertThat(Integer.parseInt(single(c, "PRAGMA busy_timeout"))).isGreaterThanOrEqualTo(5000);
                    assertThat(single(c, "PRAGMA foreign_keys")).isEqualTo("1");
                }
                case POSTGRESQL -> {
                    assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
                    assertThat(single(c, "SHOW server_encoding")).isEqualTo("UTF8");
                }
                case MARIADB, MYSQL -> {
                    assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
                    assertThat(single(c, "SELECT @@character_set_connection")).isEqualTo("utf8mb4");
                    assertThat(single(c, "SELECT @@time_zone")).isEqualTo("+00:00");
                    long waitTimeoutMs = Long.parseLong(single(c, "SELECT @@wait_timeout")) * 1000;
                    assertThat(db.dataSource().getMaxLifetime()).isLessThan(waitTimeoutMs);
                }
            }
        }
    }

    @EngineTest
    void aServerThatClosesIdleSessionsAfter100SecondsGetsConnectionsThatLive70(TestEngine engine) {
        String url = engine.newDatabaseUrl();
        switch (engine.engine()) {
            case POSTGRESQL -> {
                try (Database db = Database.open(DatabaseSettings.forUrl(url))) {
                    String name = db.dsl().fetchValue("SELECT current_database()").toString();
                    db.dsl().execute("ALTER DATABASE \"" + name + "\" SET idle_session_timeout = '100s'");
                }
            }
            case MARIADB, MYSQL -> url += (url.contains("?") ? "&" : "?") + "sessionVariables=wait_timeout%3D100";
            case SQLITE -> {
                // an embedded database has no idle cut-off: the configured lifetime stays
            }
        }
        try (Database db = Database.open(DatabaseSettings.forUrl(url))) {
            long expected = engine.engine() == Engine.SQLITE ? DatabaseSettings.DEFAULT_MAX_LIFETIME.toMillis() : 70_000;
            assertThat(db.dataSource().getMaxLifetime()).isEqualTo(expected);
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
