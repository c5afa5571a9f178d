package dev.switchboard.jobs;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.persistence.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/**
 * Background work that replicas share. Each job is a row; a replica claims due rows with the dialect's
 * FOR UPDATE SKIP LOCKED, so two replicas never claim the same run, and a lease that expires frees the job
 * of a replica that died while holding it.
 */
@Repository
public class JobLeaseRepository {

    private final Transactions transactions;
    private final Dialect dialect;
    private final Table<Record> table = Columns.table("job_lease");
    private final Field<String> name;
    private final Field<Instant> nextRunAt;
    private final Field<String> leaseOwner;
    private final Field<Instant> leaseExpiresAt;
    private final Field<Instant> lastCompletedAt;
    private final Field<Long> runCount;

    public JobLeaseRepository(Transactions transactions) {
        this.transactions = transactions;
        this.dialect = transactions.dialect();
        Columns c = new Columns(dialect);
        name = c.text(table, "name");
        nextRunAt = c.timestamp(table, "next_run_at");
        leaseOwner = c.text(table, "lease_owner");
        leaseExpiresAt = c.timestamp(table, "lease_expires_at");
        lastCompletedAt = c.timestamp(table, "last_completed_at");
        runCount = c.bigint(table, "run_count");
    }

    /** Registers a job if it is not registered yet; an existing job keeps its schedule. */
    public void register(String job, Instant firstRunAt) {
        Map<Field<?>, Object> row = new HashMap<>();
        row.put(name, job);
        row.put(nextRunAt, firstRunAt.truncatedTo(ChronoUnit.MICROS));
        row.put(runCount, 0L);
        transactions.write(dsl -> dialect.upsert(dsl, table, row, List.of(name), List.of()).execute());
    }

    /** Claims up to {@code limit} due jobs for {@code owner} for {@code leaseFor}; returns their names. */
    public List<String> claimDue(String owner, int limit, Duration leaseFor) {
        return transactions.write(dsl -> {
            Instant now = now();
            List<String> due = dialect.lockSkipLocked(dsl.select(name).from(table)
                            .where(nextRunAt.le(now).and(leaseExpiresAt.isNull().or(leaseExpiresAt.lt(now))))
                            .orderBy(nextRunAt, name)
                            .limit(limit))
                    .fetch(name);
            if (!due.isEmpty()) {
                dsl.update(table).set(leaseOwner, owner).set(leaseExpiresAt, now.plus(leaseFor))
                        .where(name.in(due)).execute();
            }
            return due;
        });
    }

    /** Ends {@code owner}'s run of {@code job} and schedules the next; false when the lease was lost meanwhile. */
    public boolean complete(String job, String owner, Instant nextRun) {
        return transactions.write(dsl -> dsl.update(table)
                .set(nextRunAt, nextRun.truncatedTo(ChronoUnit.MICROS))
                .set(leaseOwner, (String) null)
                .set(leaseExpiresAt, (Instant) null)
                .set(lastCompletedAt, now())
                .set(runCount, runCount.plus(1))
                .where(name.eq(job).and(leaseOwner.eq(owner)))
                .execute() == 1);
    }

    /** How many times {@code job} has completed, or -1 when it is not registered. */
    public long runCount(String job) {
        Long count = transactions.read(dsl -> dsl.select(runCount).from(table).where(name.eq(job)).fetchOne(runCount));
        return count == null ? -1 : count;
    }

    private Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
