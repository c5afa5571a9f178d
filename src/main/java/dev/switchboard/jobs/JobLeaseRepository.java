package dev.switchboard.jobs;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Dialect;
import dev.switchboard.persistence.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Background work that replicas share. Each job is a row; a replica claims due rows with the dialect's
 * FOR UPDATE SKIP LOCKED, so two replicas never claim the same run, and a lease that expires frees the job
 * of a replica that died while holding it.
 */
@Repository
public class JobLeaseRepository {

    /** Names per claim statement: far below 999 bind parameters, the lowest limit of any supported engine. */
    private static final int CHUNK = 500;
    /** Completions per statement: each binds three values (name and next run in the CASE, name in the IN list). */
    private static final int COMPLETION_CHUNK = 300;

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

    /** A claimed run: the job, the slot it was due at, and when it was claimed. */
    public record Claim(String name, Instant dueAt, Instant claimedAt) {
    }

    /**
     * Claims, for {@code owner} and for {@code leaseFor}, the due jobs among {@code names}: only those, so a replica
     * never takes a job it has no code for (another release's job, or the health check of an upstream it has not
     * heard of yet). Names go in chunks, to stay under every engine's bind limit.
     */
    public List<Claim> claim(String owner, Collection<String> names, Duration leaseFor) {
        List<String> all = List.copyOf(names);
        List<Claim> claimed = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            claimed.addAll(transactions.write(dsl -> {
                Instant now = now();
                List<Claim> due = dialect.lockSkipLocked(dsl.select(name, nextRunAt).from(table)
                                .where(name.in(chunk).and(nextRunAt.le(now))
                                        .and(leaseExpiresAt.isNull().or(leaseExpiresAt.lt(now))))
                                .orderBy(nextRunAt, name)
                                .limit(chunk.size()))
                        .fetch(r -> new Claim(r.get(name), r.get(nextRunAt), now));
                if (!due.isEmpty()) {
                    dsl.update(table).set(leaseOwner, owner).set(leaseExpiresAt, now.plus(leaseFor))
                            .where(name.in(due.stream().map(Claim::name).toList())).execute();
                }
                return due;
            }));
        }
        return claimed;
    }

    /**
     * Asks for one run of the one-off job {@code job} at {@code at}. A run already waiting absorbs the request (a
     * burst of requests is one run, at the time the first one asked for); a run in progress gets a run after it,
     * since it may have started before whatever the request is about. Safe for replicas to call together.
     */
    public void request(String job, Instant at) {
        Instant when = at.truncatedTo(ChronoUnit.MICROS);
        transactions.write(dsl -> {
            Instant now = now();
            // Running, with no further run asked for yet: the next run comes after this one.
            int again = dsl.update(table).set(nextRunAt, when)
                    .where(name.eq(job).and(leaseOwner.isNotNull()).and(nextRunAt.le(now))).execute();
            if (again == 0) {
                Map<Field<?>, Object> row = new HashMap<>();
                row.put(name, job);
                row.put(nextRunAt, when);
                row.put(runCount, 0L);
                dialect.upsert(dsl, table, row, List.of(name), List.of()).execute();
            }
            return null;
        });
    }

    /**
     * Ends {@code owner}'s run of the one-off job {@code job}, claimed at {@code claimedAt}: its row goes, unless a
     * run was asked for meanwhile ({@link #request}), which then waits for its time. True when the row went.
     */
    public boolean completeOnce(String job, String owner, Instant claimedAt) {
        return transactions.write(dsl -> {
            int gone = dsl.deleteFrom(table).where(name.eq(job).and(leaseOwner.eq(owner))
                    .and(nextRunAt.le(claimedAt))).execute();
            if (gone == 0) {
                dsl.update(table).set(leaseOwner, (String) null).set(leaseExpiresAt, (Instant) null)
                        .set(lastCompletedAt, now()).set(runCount, runCount.plus(1))
                        .where(name.eq(job).and(leaseOwner.eq(owner))).execute();
            }
            return gone == 1;
        });
    }

    /** Removes a job's row, whatever its lease; false when there was none. */
    public boolean delete(String job) {
        return transactions.write(dsl -> dsl.deleteFrom(table).where(name.eq(job)).execute() == 1);
    }

    /** The names of the registered jobs that start with {@code prefix}, such as every upstream's health check. */
    public List<String> namesStartingWith(String prefix) {
        // jOOQ escapes % and _ in the prefix, so it is matched literally on every engine.
        return transactions.read(dsl -> dsl.select(name).from(table).where(name.startsWith(prefix)).orderBy(name)
                .fetch(name));
    }

    /** When {@code job} is next due, or null when it is not registered. */
    public Instant nextRunAt(String job) {
        return transactions.read(dsl -> dsl.select(nextRunAt).from(table).where(name.eq(job)).fetchOne(nextRunAt));
    }

    /** Ends {@code owner}'s run of {@code job} and schedules the next; false when the lease was lost meanwhile. */
    public boolean complete(String job, String owner, Instant nextRun) {
        return complete(owner, List.of(new Completion(job, nextRun))) == 1;
    }

    /** A finished run to record: the job and the slot it runs at next. */
    public record Completion(String job, Instant nextRun) {
    }

    /**
     * Ends {@code owner}'s runs of the given jobs, one completion per job, and schedules their next runs; returns how
     * many were completed, fewer when leases were lost meanwhile. Each chunk is one statement in one transaction:
     * a replica that completes hundreds of runs a tick pays one commit for them, not one each.
     */
    public int complete(String owner, Collection<Completion> completions) {
        List<Completion> all = List.copyOf(completions);
        int completed = 0;
        for (int from = 0; from < all.size(); from += COMPLETION_CHUNK) {
            List<Completion> chunk = all.subList(from, Math.min(all.size(), from + COMPLETION_CHUNK));
            Map<Field<String>, Field<Instant>> next = new LinkedHashMap<>();
            for (Completion completion : chunk) {
                next.put(DSL.val(completion.job(), name),
                        DSL.val(completion.nextRun().truncatedTo(ChronoUnit.MICROS), nextRunAt));
            }
            List<String> jobs = chunk.stream().map(Completion::job).toList();
            completed += transactions.write(dsl -> dsl.update(table)
                    .set(nextRunAt, DSL.case_(name).mapFields(next).else_(nextRunAt))
                    .set(leaseOwner, (String) null)
                    .set(leaseExpiresAt, (Instant) null)
                    .set(lastCompletedAt, now())
                    .set(runCount, runCount.plus(1))
                    .where(name.in(jobs).and(leaseOwner.eq(owner)))
                    .execute());
        }
        return completed;
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
