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
    void aShortServerIdleTimeoutShortensThePoolsConnectionLifetime(TestEngine engine) {
        // What the dialect does with the server's wait_timeout; engines without one keep the configured lifetime.
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setMaxLifetime(DatabaseSettings.DEFAULT_MAX_LIFETIME.toMillis());
        ServerInfo server = engine.shared().server();
        ServerInfo shortIdle = new ServerInfo(server.engine(), server.version(), java.time.Duration.ofSeconds(120), 100);
        Dialect.of(engine.engine()).configurePool(config, shortIdle);
        long expected = switch (engine.engine()) {
            case MARIADB, MYSQL -> 90_000L;
            case SQLITE, POSTGRESQL -> DatabaseSettings.DEFAULT_MAX_LIFETIME.toMillis();
        };
        assertThat(config.getMaxLifetime()).isEqualTo(expected);
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
