package dev.switchboard.audit;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit rows of MCP invocations. The MCP layer says who is invoking, through which virtual server, around
 * the work ({@link #onBehalfOf}); the invocation recorder turns each measured invocation into a row
 * ({@link #event}), with the arguments only when the setting asks for them, redacted and bounded.
 */
@Component
public class InvocationAudit {

    /** Arguments larger than this, as JSON text, are recorded as their size only: every buffered row is bounded. */
    static final int MAX_ARGUMENTS_CHARS = 16 * 1024;
    static final String REDACTED = "[redacted]";

    private record Invoker(String principal, UUID serverId) {
    }

    private static final ThreadLocal<Invoker> INVOKER = new ThreadLocal<>();

    private final AuditSettings settings;
    private final Set<String> redacted;

    InvocationAudit(AuditSettings settings) {
        this.settings = settings;
        this.redacted = settings.redacted();
    }

    /** Runs {@code work} with invocations in it recorded as {@code principal}'s, through {@code serverId} (or null). */
    public static <T> T onBehalfOf(String principal, String serverId, Supplier<T> work) {
        Invoker previous = INVOKER.get();
        INVOKER.set(new Invoker(principal, serverId == null ? null : UUID.fromString(serverId)));
        try {
            return work.get();
        } finally {
            if (previous == null) {
                INVOKER.remove();
            } else {
                INVOKER.set(previous);
            }
        }
    }

    /** The virtual server the current work runs through, or null (the whole catalog, or outside any request). */
    public static UUID currentServer() {
        Invoker invoker = INVOKER.get();
        return invoker == null ? null : invoker.serverId();
    }

    /**
     * The audit row of one invocation, or null when invocations are not audited. Outside {@link #onBehalfOf} (work
     * the gateway does itself) the actor is {@link AuditTrail#SYSTEM}.
     */
    public AuditEvent event(String entityType, UUID entityId, String name, Instant startedAt, long durationUs,
                            String errorType, JsonNode arguments) {
        if (!settings.invocations()) {
            return null;
        }
        Invoker invoker = INVOKER.get();
        return new AuditEvent(UUID.randomUUID(), startedAt, invoker == null ? AuditTrail.SYSTEM : invoker.principal(),
                "invoke", entityType, entityId.toString(), name, invoker == null ? null : invoker.serverId(),
                errorType == null ? "success" : errorType, durationUs, null, null, arguments(arguments));
    }

    private String arguments(JsonNode arguments) {
        if (!settings.arguments() || arguments == null || arguments.isMissingNode() || arguments.isNull()) {
            return null;
        }
        String text = redact(arguments).toString();
        if (text.length() > MAX_ARGUMENTS_CHARS) {
            ObjectNode omitted = JsonNodeFactory.instance.objectNode();
            omitted.put("omitted", "larger than " + MAX_ARGUMENTS_CHARS + " characters");
            omitted.put("characters", text.length());
            return omitted.toString();
        }
        return text;
    }

    /** A copy of {@code node} with the value of every field named in the redacted list replaced, at any depth. */
    JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(field.getKey(), redacted.contains(field.getKey().toLowerCase(Locale.ROOT))
                        ? JsonNodeFactory.instance.stringNode(REDACTED) : redact(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(redact(element)));
            return copy;
        }
        return node;
    }
}
