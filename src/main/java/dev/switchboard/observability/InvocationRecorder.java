package dev.switchboard.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Measures invocations of tools, resources and prompts. Recording only appends to an in-memory buffer and updates
 * a Micrometer timer: nothing on the caller's thread touches the database ({@link InvocationMetricWriter} does).
 */
@Component
public class InvocationRecorder {

    /** The error_type of an invocation whose thread was interrupted: the caller gave up on it. */
    public static final String CANCELLED = "cancelled";

    /** When this many are waiting the writer is woken instead of waiting for its interval. */
    static final int BATCH_SIZE = 500;

    private final InvocationBuffer buffer;
    private final InvocationMetricWriter writer;
    private final MeterRegistry registry;

    InvocationRecorder(InvocationBuffer buffer, InvocationMetricWriter writer, MeterRegistry registry) {
        this.buffer = buffer;
        this.writer = writer;
        this.registry = registry;
    }

    /**
     * Records one invocation. {@code name} is the entity's catalog name, the Prometheus tag: the catalog bounds
     * how many there are. {@code errorType} is null on success.
     */
    public void record(EntityType type, UUID entityId, String name, Instant startedAt, Duration duration,
                       boolean success, String errorType) {
        Timer.builder("switchboard.invocations")
                .description("Invocations of tools, resources and prompts")
                .tag("entity_type", type.code())
                .tag("entity", name == null ? "" : name)
                .tag("outcome", success ? "success" : "failure")
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
        long micros = Math.max(0, duration.toNanos() / 1000);
        int waiting = buffer.add(new Invocation(UUID.randomUUID(), type, entityId,
                startedAt.truncatedTo(ChronoUnit.MICROS), micros, success, success ? null : errorType));
        if (waiting >= BATCH_SIZE) {
            writer.wake();
        }
    }

    /**
     * Runs {@code call} and records it: a failure is an exception ({@code errorType} names it) or, with
     * {@code failed}, a result that reports one.
     */
    public <T> T time(EntityType type, UUID entityId, String name, Supplier<T> call,
                      Function<? super T, String> failed, Function<? super RuntimeException, String> errorType) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            record(type, entityId, name, startedAt, Duration.ofNanos(System.nanoTime() - start), false,
                    Thread.currentThread().isInterrupted() ? CANCELLED : errorType.apply(e));
            throw e;
        }
        String failure = failed.apply(result);
        if (failure != null && Thread.currentThread().isInterrupted()) {
            failure = CANCELLED;
        }
        record(type, entityId, name, startedAt, Duration.ofNanos(System.nanoTime() - start), failure == null, failure);
        return result;
    }
}
