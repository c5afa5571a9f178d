package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's own facts: its URL forms, its result codes, and what it says about itself. */
class SqliteDialectTest {

    private final SqliteDialect dialect = (SqliteDialect) EngineDialect.of(Engine.SQLITE);

    @Test
    void sqlAlchemyUrlsNameAFileAfterAnEmptyHostAndKeepTheirOptions() {
        ConnectionTarget t = DatabaseUrl.parse("sqlite+pysqlite:///data/x.db?busy_timeout=9000");
        assertThat(t.family()).isEqualTo(Engine.SQLITE);
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:sqlite:data/x.db");
        assertThat(t.sqliteFile()).isEqualTo(Path.of("data/x.db"));
        assertThat(t.options()).containsExactly(Map.entry("busy_timeout", "9000"));
        assertThat(t.user()).isNull();
    }

    @Test
    void jdbcUrlsMayNameTheFileAsAFileUriButNeverAnInMemoryDatabase() {
        assertThat(DatabaseUrl.parse("jdbc:sqlite:file:/tmp/y.db?foreign_keys=on").sqliteFile())
                .isEqualTo(Path.of("/tmp/y.db"));
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:sqlite:file::memory:?cache=shared"))
                .isInstanceOf(InvalidDatabaseUrlException.class).hasMessageContaining("SQLite needs a database file");
    }

    @Test
    void resultCodesMeanWhatTheErrorTableSays() {
        assertThat(dialect.classify(new SQLException("unique", null, 2067))).isEqualTo(DatabaseError.UNIQUE_VIOLATION);
        assertThat(dialect.classify(new SQLException("pk", null, 1555))).isEqualTo(DatabaseError.UNIQUE_VIOLATION);
        assertThat(dialect.classify(new SQLException("fk", null, 787))).isEqualTo(DatabaseError.FOREIGN_KEY_VIOLATION);
        assertThat(dialect.classify(new SQLException("FOREIGN KEY constraint failed", null, 19)))
                .isEqualTo(DatabaseError.FOREIGN_KEY_VIOLATION);
        assertThat(dialect.classify(new SQLException("busy snapshot", null, 517))).isEqualTo(DatabaseError.RETRYABLE);
        assertThat(dialect.classify(new SQLException("locked", null, 6))).isEqualTo(DatabaseError.RETRYABLE);
        assertThat(dialect.classify(new SQLException("check", null, 275))).isEqualTo(DatabaseError.OTHER);
        // A file has no connection to lose: SQLState class 08 means nothing special here.
        assertThat(dialect.classify(new SQLException("io", "08000", 10))).isEqualTo(DatabaseError.OTHER);
    }

    @Test
    void detectionReadsTheLibraryVersionAndFindsNoServerLimits(@TempDir Path dir) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("d.db"))) {
            ServerInfo info = dialect.detect(c);
            assertThat(info.engine()).isEqualTo(Engine.SQLITE);
            assertThat(info.version().isBefore(Engine.SQLITE.minimumVersion())).isFalse();
            assertThat(info.idleTimeout()).isNull();
            assertThat(info.maxConnections()).isNull();
        }
    }
}
