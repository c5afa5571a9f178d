package dev.switchboard.observability;

import dev.switchboard.audit.AuditEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Recorded invocations and audit events not yet confirmed written, in memory and bounded: one buffer, so that one
 * writer stores both with the same guarantees. The writer takes a batch from it, and the
 * batch leaves only when its commit is confirmed: until then it is handed out again, whole, so a commit whose
 * outcome is unknown is retried (the insert skips ids already stored). When the database stays down long enough to
 * fill the buffer, the oldest waiting records are dropped, counted, and logged when the episode starts and ends, so
 * the gateway's memory stays flat and recording never waits.
 */
@Component
class InvocationBuffer {

    private static final Logger log = LoggerFactory.getLogger(InvocationBuffer.class);

    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    /** The batch being written, or whose write failed: still buffered, written again before anything newer. */
    private List<Object> unconfirmed = List.of();
    private final int capacity;
    private final Counter dropped;
    /** Dropped since the last confirmed write; non-zero while an overflow episode lasts. */
    private long droppedInEpisode;
    private long droppedTotal;

    InvocationBuffer(MetricsSettings settings, MeterRegistry registry) {
        this.capacity = settings.bufferCapacity();
        this.dropped = Counter.builder("switchboard.invocations.dropped")
                .description("Invocation records dropped because the buffer was full while they could not be written")
                .register(registry);
    }

    /** Appends {@code invocation}, dropping the oldest waiting record when full; returns how many are buffered. */
    int add(Invocation invocation) {
        return append(invocation);
    }

    /** Appends {@code event}, as {@link #add(Invocation)} does. */
    int add(AuditEvent event) {
        return append(event);
    }

    private synchronized int append(Object record) {
        if (size() >= capacity) {
            // The unconfirmed batch is never dropped: it may already be stored, and is the next to be written.
            if (waiting.isEmpty()) {
                drop();
                return size();
            }
            waiting.pollFirst();
            drop();
        }
        waiting.addLast(record);
        return size();
    }

    private void drop() {
        dropped.increment();
        droppedTotal++;
        if (droppedInEpisode++ == 0) {
            log.warn("The invocation metrics buffer is full ({} records) because they cannot be written; the"
                    + " oldest are dropped until writing succeeds (counted in switchboard_invocations_dropped_total)",
                    capacity);
        }
    }

    /**
     * The batch to write next: the one whose commit is not yet confirmed, if any, else up to {@code max} of the
     * oldest waiting. It stays buffered until {@link #committed} is called with it. Empty when nothing waits.
     */
    synchronized List<Object> nextBatch(int max) {
        if (unconfirmed.isEmpty()) {
            List<Object> batch = new ArrayList<>(Math.min(max, waiting.size()));
            while (batch.size() < max && !waiting.isEmpty()) {
                batch.add(waiting.pollFirst());
            }
            unconfirmed = List.copyOf(batch);
        }
        return unconfirmed;
    }

    /** {@code batch}'s commit is confirmed: it leaves the buffer, and an overflow episode, if one lasted, ends. */
    synchronized void committed(List<Object> batch) {
        if (batch != unconfirmed) {
            throw new IllegalStateException("only the batch handed out by nextBatch can be committed");
        }
        unconfirmed = List.of();
        if (droppedInEpisode > 0) {
            log.warn("The invocation metrics buffer has room again; {} records were dropped while it was full",
                    droppedInEpisode);
            droppedInEpisode = 0;
        }
    }

    /** How many are buffered, the unconfirmed batch included: what would be lost if the process ended now. */
    synchronized int size() {
        return waiting.size() + unconfirmed.size();
    }

    /** How many of those buffered are audit events rather than invocations. */
    synchronized int auditEvents() {
        int events = 0;
        for (Object record : waiting) {
            events += record instanceof AuditEvent ? 1 : 0;
        }
        for (Object record : unconfirmed) {
            events += record instanceof AuditEvent ? 1 : 0;
        }
        return events;
    }

    /** How many have been dropped since start because the buffer was full. */
    synchronized long droppedTotal() {
        return droppedTotal;
    }
}
