package dev.switchboard.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the audit trail: a change to the registry or an MCP invocation.
 *
 * @param actor       who did it: the authenticated name, or {@link AuditTrail#SYSTEM} for the gateway's own work
 * @param action      what was done, such as {@code create}, {@code update}, {@code delete} or {@code invoke}
 * @param entityType  the kind of entry: {@code gateway}, {@code tool}, {@code resource}, {@code prompt},
 *                    {@code server}, {@code token} or {@code catalog}
 * @param entityId    the entry's id, or null when the action has none (an import)
 * @param entityName  the entry's name at the time, or null
 * @param serverId    the virtual server an invocation went through, or null (the whole catalog, or a change)
 * @param outcome     {@code success}, or an invocation's error type; null for changes
 * @param durationUs  how long an invocation took; null for changes
 * @param before      the entry before the change as JSON, secrets left out; null for a creation or invocation
 * @param after       the entry after the change as JSON, secrets left out; null for a deletion or invocation
 * @param arguments   an invocation's arguments with listed fields redacted, only when the setting asks for them
 */
public record AuditEvent(UUID id, Instant occurredAt, String actor, String action, String entityType, String entityId,
                         String entityName, UUID serverId, String outcome, Long durationUs, String before,
                         String after, String arguments) {
}
