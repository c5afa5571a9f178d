package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * Two transactions that lock the same rows in opposite orders: a real deadlock on PostgreSQL and MariaDB,
 * which Transactions rolls back and retries until both commit. SQLite has one writer, so they simply queue.
 */
class TransactionsRetryTest {

    @EngineTest
    void crossingWritersBothCommitAfterTheDeadlockIsRetried(TestEngine engine) throws Exception {
        Database db = engine.shared();
        Table<Record> servers = Columns.table("virtual_server");
        Columns c = new Columns(db.dialect());
        Field<UUID> id = c.uuid(servers, "id");
        Field<String> description = c.text(servers, "description");
        UUID a = insertServer(db, c, servers);
        UUID b = insertServer(db, c, servers);

        CyclicBarrier bothHoldOneRow = new CyclicBarrier(2);
        AtomicInteger attempts = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<Integer>> writers = List.of(
                    pool.submit(() -> db.transactions().write(dsl -> cross(dsl, servers, id, description, a, b,
                            "first", bothHoldOneRow, attempts))),
                    pool.submit(() -> db.transactions().write(dsl -> cross(dsl, servers, id, description, b, a,
                            "second", bothHoldOneRow, attempts))));
            for (Future<Integer> w : writers) {
                assertThat(w.get(2, TimeUnit.MINUTES)).isEqualTo(2);
            }
        }
        List<String> written = db.transactions().read(dsl -> dsl.select(description).from(servers)
                .where(id.in(a, b)).fetch(description));
        // Whichever committed last wrote both rows; each row holds a whole transaction's value.
        assertThat(written).hasSize(2).containsAnyOf("first", "second");
        assertThat(written.get(0)).isEqualTo(written.get(1));
        if (db.dialect().singleWriter()) {
            assertThat(attempts).hasValue(2);
        } else {
            assertThat(attempts.get()).as("one writer was rolled back and retried").isGreaterThanOrEqualTo(3);
        }
    }

    private static int cross(DSLContext dsl, Table<Record> servers, Field<UUID> id, Field<String> description,
                             UUID firstRow, UUID secondRow, String value, CyclicBarrier barrier,
                             AtomicInteger attempts) {
        boolean firstAttempt = attempts.incrementAndGet() <= 2;
        int rows = dsl.update(servers).set(description, value).where(id.eq(firstRow)).execute();
        if (firstAttempt) {
            try {
                // Wait until the other writer holds its row; SQLite's single writer never lets it, so time out.
                barrier.await(2, TimeUnit.SECONDS);
            } catch (TimeoutException | BrokenBarrierException e) {
                // the other writer is queued behind us: nothing crosses
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return rows + dsl.update(servers).set(description, value).where(id.eq(secondRow)).execute();
    }

    private static UUID insertServer(Database db, Columns c, Table<Record> servers) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        db.transactions().write(dsl -> dsl.insertInto(servers)
                .set(c.uuid(servers, "id"), id).set(c.text(servers, "name"), "retry-" + id)
                .set(c.bool(servers, "enabled"), true).set(c.timestamp(servers, "created_at"), now)
                .set(c.timestamp(servers, "updated_at"), now).set(c.bigint(servers, "version"), 1L).execute());
        return id;
    }
}
