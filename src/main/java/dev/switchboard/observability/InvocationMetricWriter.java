package dev.switchboard.observability;

import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditRepository;
import dev.switchboard.jobs.BackgroundLoop;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.settings.Bounds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes buffered invocations to invocation_metric, and audit events to audit_event, in batches, off the request
 * path: every flush interval, or sooner when a batch is full. A batch (both kinds, in one transaction) leaves the
 * buffer only once its commit is confirmed; a batch whose write failed, the commit included (a connection lost
 * during it leaves the outcome unknown), is written again first at the next flush. The inserts skip ids already
 * stored, so that retry never stores a record twice.
 *
 * <p>At shutdown everything buffered is written, waiting for the database at most the shutdown grace period, and
 * the number that could not be written is logged. Its lifecycle phase is the lowest, so it stops after the web
 * server has stopped taking requests and let those in flight finish; and, as a bean that depends on the database,
 * its destroy callback writes what came later still before the connection pool closes.
 */
@Component
class InvocationMetricWriter implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InvocationMetricWriter.class);
    /** Stops after every other lifecycle, the web server's graceful shutdown included. */
    static final int PHASE = Integer.MIN_VALUE + 1000;
    /** Between a failed attempt at shutdown and the next; shorter when less of the grace period is left. */
    private static final Duration SHUTDOWN_RETRY_PAUSE = Duration.ofMillis(200);
    /**
     * How long one round trip of a batch's transaction may wait for the database: a batch takes milliseconds, and a
     * connection whose peer went silent (a partition, or a cut that sent no reset) would otherwise hold the writer,
     * and the shutdown drain, until the grace period ran out. The batch is then retried on another connection, and
     * written once: its rows' ids are skipped when already stored.
     */
    static final Duration WRITE_DEADLINE = Duration.ofSeconds(15);
    /**
     * The most records one transaction writes. Far more than the wake threshold ({@link InvocationRecorder#BATCH_SIZE}):
     * a backlog (after an outage, and at shutdown) is written in few transactions and statements, because each round
     * trip costs the network's latency whatever its size; at 500 a backlog of 130,000 invocations took 520
     * transactions and about 55 s of a 60 s shutdown grace through a proxy adding 40 ms a statement.
     */
    static final int MAX_BATCH = 5000;
    /** How long an attempt still running at the end of the grace period gets to notice its interruption. */
    private static final Duration INTERRUPTED_ATTEMPT_BOUND = Duration.ofSeconds(2);

    private final InvocationBuffer buffer;
    private final InvocationMetricRepository repository;
    private final AuditRepository audit;
    private final Transactions transactions;
    private final MetricsSettings settings;
    private final BackgroundLoop loop;
    /** The last flush failed: full batches no longer wake the loop, which retries at its interval. */
    private volatile boolean failing;
    /**
     * When shutdown stops waiting for the database; set when shutdown begins. Not guarded by this object's monitor,
     * which a flush waiting for the database holds.
     */
    private final AtomicReference<Instant> shutdownDeadline = new AtomicReference<>();

    InvocationMetricWriter(InvocationBuffer buffer, InvocationMetricRepository repository, AuditRepository audit,
                           Transactions transactions, MetricsSettings settings) {
        this.buffer = buffer;
        this.repository = repository;
        this.audit = audit;
        this.transactions = transactions;
        this.settings = settings;
        this.loop = new BackgroundLoop("switchboard-metrics-writer", this::flush, settings::flushInterval, log,
                "Invocation metrics cannot be written now ({}); they stay buffered and are retried",
                "Invocation metrics are written again");
    }

    @Override
    public void start() {
        loop.start(settings.flushInterval());
    }

    @Override
    public void stop() {
        Instant deadline = shutdownDeadline();
        loop.stop(remaining(deadline));
        drain(deadline);
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Writes anything recorded after stop() (a call that outlived the graceful shutdown) within what is left of the
     * grace period, then reports exactly how many records were never confirmed written.
     */
    @Override
    public void destroy() {
        drain(shutdownDeadline());
        int lost = buffer.size();
        if (lost > 0) {
            int events = buffer.auditEvents();
            log.warn("{} invocation records and {} audit rows could not be written before shutdown and are lost: the"
                    + " database did not take them within the shutdown grace period ({},"
                    + " SWITCHBOARD_METRICS_SHUTDOWN_GRACE)", lost - events, events,
                    Bounds.print(settings.shutdownGrace()));
        }
        long dropped = buffer.droppedTotal();
        if (dropped > 0) {
            log.warn("{} invocation records were dropped while this gateway ran because the buffer was full", dropped);
        }
    }

    /** A full batch is waiting: write it now rather than at the next interval, unless writing is failing. */
    void wake() {
        if (!failing) {
            loop.wake();
        }
    }

    /** Writes everything waiting, batch by batch; stops at the first failure, the batch staying buffered. */
    synchronized void flush() {
        try {
            while (true) {
                List<Object> batch = buffer.nextBatch(MAX_BATCH);
                if (batch.isEmpty()) {
                    failing = false;
                    return;
                }
                List<Invocation> invocations = new ArrayList<>();
                List<AuditEvent> events = new ArrayList<>();
                for (Object record : batch) {
                    switch (record) {
                        case Invocation i -> invocations.add(i);
                        case AuditEvent e -> events.add(e);
                        default -> throw new IllegalStateException("cannot write " + record.getClass());
                    }
                }
                write(invocations, events);
                buffer.committed(batch);
            }
        } catch (RuntimeException e) {
            failing = true;
            throw e;
        }
    }

    /**
     * Writes one batch in one transaction, whose commit decides for all of it. When writing had been succeeding, a
     * failure is tried once more at once: the pool drops a connection that failed, and one that died while it sat
     * idle (the database restarted, a proxy cut it) would otherwise delay every record until the next interval.
     * Once writing is failing, one attempt per interval.
     */
    private void write(List<Invocation> invocations, List<AuditEvent> events) {
        try {
            insert(invocations, events);
        } catch (RuntimeException first) {
            if (failing || Thread.currentThread().isInterrupted()) {
                throw first;
            }
            log.debug("Writing invocation metrics failed ({}); trying once more on another connection",
                    first.toString());
            insert(invocations, events);
        }
    }

    private void insert(List<Invocation> invocations, List<AuditEvent> events) {
        transactions.write(WRITE_DEADLINE, dsl -> {
            repository.insert(dsl, invocations);
            audit.insert(dsl, events);
            return null;
        });
    }

    private Instant shutdownDeadline() {
        return shutdownDeadline.updateAndGet(d -> d != null ? d : Instant.now().plus(settings.shutdownGrace()));
    }

    /**
     * Flushes until the buffer is empty or {@code deadline} passes. The attempts run on a thread of their own, so
     * that one still waiting for the database at the deadline is interrupted rather than waited for.
     */
    private void drain(Instant deadline) {
        if (buffer.size() == 0 || remaining(deadline).isZero()) {
            return;
        }
        Thread attempts = Thread.ofVirtual().name("switchboard-metrics-drain").start(() -> {
            while (buffer.size() > 0 && !Thread.currentThread().isInterrupted()) {
                loop.tickNow();
                Duration left = remaining(deadline);
                if (buffer.size() == 0 || left.isZero()) {
                    return;
                }
                try {
                    // Time must pass before the database may be back; the pause keeps retries from spinning.
                    Thread.sleep(min(SHUTDOWN_RETRY_PAUSE, left));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            if (!attempts.join(remaining(deadline))) {
                attempts.interrupt();
                attempts.join(INTERRUPTED_ATTEMPT_BOUND);
            }
        } catch (InterruptedException e) {
            attempts.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    private static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
