package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL's own facts: its URL forms, its default port, its driver's option names and its SQLStates. */
class PostgresDialectTest {

    private final Dialect dialect = Dialect.of(Engine.POSTGRESQL);

    @Test
    void aUrlWithoutAPortMeans5432AndPsycopgOptionsTakeTheJdbcDriversNames() {
        ConnectionTarget t = DatabaseUrl.parse("postgres://u@db/registry?application_name=sb&sslmode=verify-full");
        assertThat(t.family()).isEqualTo(Engine.POSTGRESQL);
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/registry");
        assertThat(t.options()).containsExactly(Map.entry("ApplicationName", "sb"), Map.entry("sslmode", "verify-full"));
    }

    @Test
    void jdbcUrlsPassThroughAsWritten() {
        String url = "JDBC:PostgreSQL://h:5433/db?ssl=true";
        ConnectionTarget t = DatabaseUrl.parse(url);
        assertThat(t.family()).isEqualTo(Engine.POSTGRESQL);
        assertThat(t.jdbcUrl()).isEqualTo(url);
        assertThat(t.options()).isEmpty();
    }

    @Test
    void sqlStatesMeanWhatTheErrorTableSays() {
        assertThat(dialect.classify(new SQLException("fk", "23503"))).isEqualTo(DatabaseError.FOREIGN_KEY_VIOLATION);
        assertThat(dialect.classify(new SQLException("serialization", "40001"))).isEqualTo(DatabaseError.RETRYABLE);
        assertThat(dialect.classify(new SQLException("lock not available", "55P03"))).isEqualTo(DatabaseError.RETRYABLE);
        assertThat(dialect.classify(new SQLException("admin shutdown", "57P01"))).isEqualTo(DatabaseError.CONNECTION_LOST);
        assertThat(dialect.classify(new SQLException("check", "23514"))).isEqualTo(DatabaseError.OTHER);
        // PostgreSQL's vendor codes carry no meaning: a MariaDB duplicate number is nothing here.
        assertThat(dialect.classify(new SQLException("x", "XX000", 1062))).isEqualTo(DatabaseError.OTHER);
    }

    @Test
    void limitsAreThoseOfTheProtocol() {
        assertThat(dialect.maxBindParameters()).isEqualTo(32_767);
    }
}
