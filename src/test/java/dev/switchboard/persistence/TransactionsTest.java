package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.time.Instant;
import java.util.List;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** A write transaction commits whole or not at all, and gives its connection back to the pool either way. */
class TransactionsTest {

    @EngineTest
    void aFailedWriteLeavesNothingAndTheConnectionGoesBackInAutoCommit(TestEngine engine) {
        Database db = engine.shared();
        Table<Record> jobs = Columns.table("job_lease");
        Columns c = new Columns(db.dialect());
        Field<String> name = c.text(jobs, "name");
        Field<Instant> nextRunAt = c.timestamp(jobs, "next_run_at");
        Field<Long> runCount = c.bigint(jobs, "run_count");
        String prefix = "tx-" + System.nanoTime() + "-";
        int pool = db.dataSource().getMaximumPoolSize();

        // More failed transactions than the pool has connections: a leaked connection would exhaust it.
        for (int i = 0; i <= pool; i++) {
            String job = prefix + i;
            assertThatThrownBy(() -> db.transactions().write(dsl -> {
                dsl.insertInto(jobs).set(name, job).set(nextRunAt, Instant.now()).set(runCount, 0L).execute();
                throw new IllegalStateException("fails after its insert");
            })).isInstanceOf(IllegalStateException.class).hasMessage("fails after its insert");
        }
        // A failure of the database itself comes out translated, after the rollback.
        assertThatThrownBy(() -> db.transactions().write(dsl -> dsl.insertInto(jobs).set(name, prefix + "dup")
                .set(nextRunAt, Instant.now()).set(runCount, 0L).execute()
                + dsl.insertInto(jobs).set(name, prefix + "dup").set(nextRunAt, Instant.now()).set(runCount, 0L)
                .execute())).isInstanceOf(UniqueViolationException.class);

        int inserted = db.transactions().write(dsl -> dsl.insertInto(jobs).set(name, prefix + "kept")
                .set(nextRunAt, Instant.now()).set(runCount, 0L).execute());
        assertThat(inserted).isEqualTo(1);
        List<String> rows = db.transactions().read(dsl -> dsl.select(name).from(jobs).where(name.startsWith(prefix))
                .fetch(name));
        assertThat(rows).containsExactly(prefix + "kept");
        // Reads run outside transactions, each statement on its own: the connections came back in auto-commit.
        for (int i = 0; i <= pool; i++) {
            int count = db.transactions().read(dsl -> dsl.fetchCount(jobs, name.startsWith(prefix)));
            assertThat(count).isEqualTo(1);
        }
        assertThat(db.dataSource().getHikariPoolMXBean().getActiveConnections()).isZero();
    }
}
