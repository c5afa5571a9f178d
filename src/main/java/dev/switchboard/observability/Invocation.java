package dev.switchboard.observability;

import java.time.Instant;
import java.util.UUID;

/**
 * One measured invocation, as stored in invocation_metric. {@code errorType} is a short code ({@code error_result},
 * {@code invalid_params}, {@code upstream_error}, {@code timeout}, {@code unreachable}, {@code cancelled},
 * {@code internal}) and null on success.
 */
public record Invocation(UUID id, EntityType type, UUID entityId, Instant startedAt, long durationUs, boolean success,
                         String errorType) {
}
