package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each engine is known in one place, its dialect class: the facts, the URL forms and detection come from it. */
class EngineDialectTest {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyEngineHasOneDialectThatStatesItsFacts(Engine engine) {
        List<EngineDialect> matching = EngineDialect.all().stream().filter(d -> d.engine() == engine).toList();
        assertThat(matching).hasSize(1);
        EngineDialect dialect = matching.getFirst();
        assertThat(Dialect.of(engine)).isSameAs(dialect);
        assertThat(dialect.facts().engine()).isEqualTo(engine);
        assertThat(dialect.embedded()).isEqualTo(engine == Engine.SQLITE);
        assertThat(dialect.singleWriter()).isEqualTo(engine == Engine.SQLITE);
        assertThat(dialect.defaultPoolSize()).isEqualTo(engine == Engine.SQLITE ? 4 : 10);
    }

    @Test
    void noSchemeOrJdbcNameBelongsToTwoEngines() {
        List<String> schemes = new ArrayList<>();
        List<String> jdbcNames = new ArrayList<>();
        for (EngineDialect dialect : EngineDialect.all()) {
            schemes.addAll(dialect.facts().url().schemes());
            jdbcNames.add(dialect.facts().url().jdbcName());
        }
        assertThat(schemes).doesNotHaveDuplicates();
        assertThat(jdbcNames).doesNotHaveDuplicates().containsExactly("sqlite", "postgresql", "mariadb", "mysql");
    }

    @Test
    void theAcceptedFormsAreBuiltFromTheDialectsAsTheyWereWritten() {
        assertThat(DatabaseUrl.ACCEPTED_FORMS).isEqualTo("sqlite:///relative/path.db, sqlite:////absolute/path.db, "
                + "postgresql[+psycopg|+psycopg2]://user:password@host:5432/database, "
                + "mariadb[+mariadbconnector|+pymysql]://user:password@host:3306/database, "
                + "mysql[+pymysql|+mysqldb]://user:password@host:3306/database, "
                + "or a jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: URL");
    }

    @EngineTest
    void theDialectOfTheUrlsFamilyDetectsTheEngineUnderTest(TestEngine engine) throws SQLException {
        ConnectionTarget target = DatabaseUrl.parse(engine.newDatabaseUrl());
        ServerInfo server;
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.driverProperties())) {
            server = EngineDialect.of(target.family()).detect(c);
        }
        assertThat(server.engine()).isEqualTo(engine.engine());
        assertThat(server.version().isBefore(engine.engine().minimumVersion())).isFalse();
        if (engine.engine() == Engine.SQLITE) {
            assertThat(server.maxConnections()).isNull();
            assertThat(server.idleTimeout()).isNull();
        } else {
            assertThat(server.maxConnections()).isPositive();
        }
        if (engine.engine() == Engine.MARIADB || engine.engine() == Engine.MYSQL) {
            assertThat(server.idleTimeout()).isPositive(); // wait_timeout is never off
        }
    }
}
