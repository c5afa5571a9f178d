package dev.switchboard.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records changes to the registry: who (the request's authenticated name), when, what, and the entry before and
 * after as the API shows it, which leaves secrets out. Recording only buffers the event; the metrics writer
 * stores it. Callers record after the change is stored, so a refused or failed change leaves no row.
 */
@Component
public class AuditTrail {

    /** The actor of changes no one asked for over HTTP: discovery on a schedule, jobs, the command line. */
    public static final String SYSTEM = "system";

    private final AuditSink sink;
    private final JsonMapper json;

    AuditTrail(AuditSink sink, JsonMapper json) {
        this.sink = sink;
        this.json = json;
    }

    /**
     * Records that the current caller did {@code action} to an entry. {@code before} and {@code after} are the
     * entry as responses show it (null when it did not exist before, or no longer does).
     */
    public void changed(String action, String entityType, Object entityId, String entityName, Object before,
                        Object after) {
        sink.accept(new AuditEvent(UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MICROS), actor(), action,
                entityType, entityId == null ? null : entityId.toString(), entityName, null, null, null,
                write(before), write(after), null));
    }

    /** The authenticated name of the request on this thread, or {@link #SYSTEM}. */
    public static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken
                || authentication.getName() == null) {
            return SYSTEM;
        }
        return authentication.getName();
    }

    private String write(Object state) {
        return state == null ? null : json.writeValueAsString(state);
    }
}
