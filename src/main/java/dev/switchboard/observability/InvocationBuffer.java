package dev.switchboard.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Recorded invocations waiting to be written, in memory and bounded: when the database stays down long enough to
 * fill it, the oldest are dropped (counted, and logged once per episode) so the gateway's memory stays flat.
 */
@Component
class InvocationBuffer {

    private static final Logger log = LoggerFactory.getLogger(InvocationBuffer.class);

    private final ArrayDeque<Invocation> waiting = new ArrayDeque<>();
    private final int capacity;
    private final Counter dropped;
    /** Set at the first drop and cleared by the next successful write, so an outage logs one warning. */
    private boolean overflowing;

    InvocationBuffer(MetricsSettings settings, MeterRegistry registry) {
        this.capacity = settings.bufferCapacity();
        this.dropped = Counter.builder("switchboard.invocations.dropped")
                .description("Invocation records dropped because the buffer was full while they could not be written")
                .register(registry);
    }

    /** Appends {@code invocation}; returns how many are now waiting. */
    synchronized int add(Invocation invocation) {
        if (waiting.size() >= capacity) {
            waiting.pollFirst();
            dropped.increment();
            if (!overflowing) {
                overflowing = true;
                log.warn("The invocation metrics buffer is full ({} records) because they cannot be written; the"
                        + " oldest are dropped until writing succeeds (counted in switchboard_invocations_dropped_total)",
                        capacity);
            }
        }
        waiting.addLast(invocation);
        return waiting.size();
    }

    /** Takes up to {@code max} of the oldest waiting invocations. */
    synchronized List<Invocation> take(int max) {
        List<Invocation> batch = new ArrayList<>(Math.min(max, waiting.size()));
        while (batch.size() < max && !waiting.isEmpty()) {
            batch.add(waiting.pollFirst());
        }
        return batch;
    }

    synchronized int size() {
        return waiting.size();
    }

    /** A write succeeded: a later overflow is a new episode and is logged again. */
    synchronized void written() {
        overflowing = false;
    }
}
