package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Map;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** MariaDB's and MySQL's own facts: one driver for both, their URL forms, their vendor codes and limits. */
class MariaDbDialectTest {

    @Test
    void mysqlUrlsOpenTheMariaDbDriverOnTheDefaultPortWithoutTheCharsetOption() {
        ConnectionTarget t = DatabaseUrl.parse("mysql+mysqldb://app:pw@db/sb?charset=utf8&useSsl=true");
        assertThat(t.family()).isEqualTo(Engine.MARIADB);
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:mariadb://db:3306/sb");
        assertThat(t.options()).containsExactly(Map.entry("useSsl", "true"));
    }

    @Test
    void aJdbcMysqlUrlIsRewrittenForTheMariaDbDriverAndAJdbcMariaDbUrlIsNot() {
        assertThat(DatabaseUrl.parse("JDBC:MySQL://h/db").jdbcUrl()).isEqualTo("jdbc:mariadb://h/db");
        assertThat(DatabaseUrl.parse("jdbc:mysql://h/db").family()).isEqualTo(Engine.MARIADB);
        assertThat(DatabaseUrl.parse("JDBC:MariaDB://h/db").jdbcUrl()).isEqualTo("JDBC:MariaDB://h/db");
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"MARIADB", "MYSQL"})
    void bothEnginesShareVendorCodesAndLimitsButNotTheirSqlRendering(Engine engine) {
        Dialect dialect = Dialect.of(engine);
        assertThat(dialect.sqlDialect()).isEqualTo(engine == Engine.MARIADB ? SQLDialect.MARIADB : SQLDialect.MYSQL);
        assertThat(dialect.maxBindParameters()).isEqualTo(65_535);
        assertThat(dialect.classify(new SQLException("dup for key", "23000", 1586)))
                .isEqualTo(DatabaseError.UNIQUE_VIOLATION);
        assertThat(dialect.classify(new SQLException("fk", "23000", 1216))).isEqualTo(DatabaseError.FOREIGN_KEY_VIOLATION);
        assertThat(dialect.classify(new SQLException("gone away", "HY000", 2006))).isEqualTo(DatabaseError.CONNECTION_LOST);
        assertThat(dialect.classify(new SQLException("galera", "HY000", 1927))).isEqualTo(DatabaseError.CONNECTION_LOST);
        // A SQLState that PostgreSQL would read as a duplicate means nothing without the vendor code.
        assertThat(dialect.classify(new SQLException("x", "23505", 0))).isEqualTo(DatabaseError.OTHER);
    }
}
