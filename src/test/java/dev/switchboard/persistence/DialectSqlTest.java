package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SQL each dialect writes for what differs, checked as text. This is how MySQL's differences are tested
 * where no MySQL server can be had; the engine tests run the same statements on real servers.
 */
class DialectSqlTest {

    private static final Table<Record> JOBS = Columns.table("job_lease");

    @ParameterizedTest
    @EnumSource(Engine.class)
    void skipLockedGoesAfterLimitWhereTheEngineHasRowLocks(Engine engine) {
        Dialect dialect = Dialect.of(engine);
        DSLContext dsl = DSL.using(dialect.sqlDialect());
        Field<String> name = new Columns(dialect).text(JOBS, "name");
        String sql = dialect.lockSkipLocked(dsl.select(name).from(JOBS).orderBy(name).limit(5)).getSQL()
                .toLowerCase();
        if (engine == Engine.SQLITE) {
            assertThat(sql).doesNotContain("for update").contains("limit");
        } else {
            assertThat(sql).contains("for update skip locked");
            assertThat(sql.indexOf("limit")).as("LIMIT before FOR UPDATE (MariaDB requires it)")
                    .isLessThan(sql.indexOf("for update"));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void upsertNamesItsKeyWhereItCanAndNeverUsesInsertIgnore(Engine engine) {
        Dialect dialect = Dialect.of(engine);
        DSLContext dsl = DSL.using(dialect.sqlDialect());
        Columns c = new Columns(dialect);
        Field<String> name = c.text(JOBS, "name");
        Field<Long> runs = c.bigint(JOBS, "run_count");
        Map<Field<?>, Object> values = new HashMap<>(Map.of(name, "job", runs, 1L));

        String doNothing = dialect.upsert(dsl, JOBS, values, List.of(name), List.of()).getSQL().toLowerCase();
        String doUpdate = dialect.upsert(dsl, JOBS, values, List.of(name), List.of(runs)).getSQL().toLowerCase();
        assertThat(doNothing).doesNotContain("ignore");
        assertThat(doUpdate).doesNotContain("ignore");
        if (engine == Engine.MARIADB || engine == Engine.MYSQL) {
            assertThat(doNothing).contains("on duplicate key update");
            assertThat(doUpdate).contains("on duplicate key update").contains("run_count");
        } else {
            assertThat(doNothing).contains("on conflict").contains("do nothing");
            assertThat(doUpdate).contains("on conflict").contains("do update");
        }
    }

    @Test
    void errorsMeanTheSameOnEveryEngine() {
        assertThat(Dialect.of(Engine.POSTGRESQL).classify(new SQLException("x", "23505")))
                .isEqualTo(DatabaseError.UNIQUE_VIOLATION);
        assertThat(Dialect.of(Engine.POSTGRESQL).classify(new SQLException("x", "40P01")))
                .isEqualTo(DatabaseError.RETRYABLE);
        assertThat(Dialect.of(Engine.POSTGRESQL).classify(new SQLException("x", "08006")))
                .isEqualTo(DatabaseError.CONNECTION_LOST);
        for (Engine family : List.of(Engine.MARIADB, Engine.MYSQL)) {
            Dialect d = Dialect.of(family);
            assertThat(d.classify(new SQLException("dup", "23000", 1062))).isEqualTo(DatabaseError.UNIQUE_VIOLATION);
            assertThat(d.classify(new SQLException("fk", "23000", 1452))).isEqualTo(DatabaseError.FOREIGN_KEY_VIOLATION);
            assertThat(d.classify(new SQLException("fk", "23000", 1451))).isEqualTo(DatabaseError.FOREIGN_KEY_VIOLATION);
            assertThat(d.classify(new SQLException("check", "23000", 4025))).isEqualTo(DatabaseError.OTHER);
            assertThat(d.classify(new SQLException("deadlock", "40001", 1213))).isEqualTo(DatabaseError.RETRYABLE);
            assertThat(d.classify(new SQLException("lock wait", "HY000", 1205))).isEqualTo(DatabaseError.RETRYABLE);
            assertThat(d.classify(new SQLException("gone", "08S01", 0))).isEqualTo(DatabaseError.CONNECTION_LOST);
        }
        assertThat(Dialect.of(Engine.SQLITE).classify(new SQLException("busy", null, 5)))
                .isEqualTo(DatabaseError.RETRYABLE);
        assertThat(Dialect.of(Engine.SQLITE).classify(new SQLException("[SQLITE_CONSTRAINT] UNIQUE constraint failed",
                null, 19))).isEqualTo(DatabaseError.UNIQUE_VIOLATION);
    }
}
