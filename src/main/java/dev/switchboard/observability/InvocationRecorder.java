package dev.switchboard.observability;

import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditSink;
import dev.switchboard.audit.InvocationAudit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Measures invocations of tools, resources and prompts, and audits them. Recording only appends to an in-memory
 * buffer and updates a Micrometer timer: nothing on the caller's thread touches the database
 * ({@link InvocationMetricWriter} does). Audit events of registry changes go through the same buffer.
 */
@Component
public class InvocationRecorder implements AuditSink {

    /** The error_type of an invocation whose thread was interrupted: the caller gave up on it. */
    public static final String CANCELLED = "cancelled";

    /** When this many are waiting the writer is woken instead of waiting for its interval. */
    static final int BATCH_SIZE = 500;

    private final InvocationBuffer buffer;
    private final InvocationMetricWriter writer;
    private final MeterRegistry registry;
    private final InvocationAudit audit;

    InvocationRecorder(InvocationBuffer buffer, InvocationMetricWriter writer, MeterRegistry registry,
                       InvocationAudit audit) {
        this.buffer = buffer;
        this.writer = writer;
        this.registry = registry;
        this.audit = audit;
    }

    @Override
    public void accept(AuditEvent event) {
        wakeWhenFull(buffer.add(event));
    }

    private void wakeWhenFull(int waiting) {
        if (waiting >= BATCH_SIZE) {
            writer.wake();
        }
    }

    /**
     * Records one invocation, and its audit row; made through a virtual server, it is the server's invocation too. {@code name} is the entity's catalog name, the Prometheus tag: the
     * catalog bounds how many there are. {@code errorType} is null on success. {@code arguments} (or null) are
     * audited only when the audit settings ask for them.
     */
    public void record(EntityType type, UUID entityId, String name, Instant startedAt, Duration duration,
                       boolean success, String errorType, JsonNode arguments) {
        Timer.builder("switchboard.invocations")
                .description("Invocations of tools, resources and prompts")
                .tag("entity_type", type.code())
                .tag("entity", name == null ? "" : name)
                .tag("outcome", success ? "success" : "failure")
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
        long micros = Math.max(0, duration.toNanos() / 1000);
        Instant started = startedAt.truncatedTo(ChronoUnit.MICROS);
        String failure = success ? null : errorType;
        wakeWhenFull(buffer.add(new Invocation(UUID.randomUUID(), type, entityId, started, micros, success, failure)));
        // The same call counts for the virtual server it came through, for the figures per server.
        UUID server = InvocationAudit.currentServer();
        if (server != null) {
            wakeWhenFull(buffer.add(new Invocation(UUID.randomUUID(), EntityType.SERVER, server, started, micros,
                    success, failure)));
        }
        AuditEvent event = audit.event(type.code(), entityId, name, started, micros, failure, arguments);
        if (event != null) {
            wakeWhenFull(buffer.add(event));
        }
    }

    /**
     * Runs {@code call} and records it: a failure is an exception ({@code errorType} names it) or, with
     * {@code failed}, a result that reports one. {@code arguments} are the invocation's, for the audit trail.
     */
    public <T> T time(EntityType type, UUID entityId, String name, JsonNode arguments, Supplier<T> call,
                      Function<? super T, String> failed, Function<? super RuntimeException, String> errorType) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            record(type, entityId, name, startedAt, Duration.ofNanos(System.nanoTime() - start), false,
                    Thread.currentThread().isInterrupted() ? CANCELLED : errorType.apply(e), arguments);
            throw e;
        }
        String failure = failed.apply(result);
        if (failure != null && Thread.currentThread().isInterrupted()) {
            failure = CANCELLED;
        }
        record(type, entityId, name, startedAt, Duration.ofNanos(System.nanoTime() - start), failure == null, failure,
                arguments);
        return result;
    }
}
