package dev.switchboard.audit;

import dev.switchboard.persistence.KeysetPosition;
import dev.switchboard.problem.InvalidQueryException;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/audit}: the audit trail, newest first, filtered by actor, entity, action and time, in pages joined
 * by an opaque cursor. Rows reach it when the metrics writer has written them (every flush interval).
 */
@RestController
@Tag(name = "Audit trail")
public class AuditEndpoint {

    static final int MAX_LIMIT = 500;

    private final AuditRepository repository;
    private final JsonMapper json;

    AuditEndpoint(AuditRepository repository, JsonMapper json) {
        this.repository = repository;
        this.json = json;
    }

    /** One row as the API shows it: the stored states and arguments as JSON. */
    public record AuditView(UUID id, Instant occurredAt, String actor, String action, String entityType,
                            String entityId, String entityName, UUID serverId, String outcome, Long durationUs,
                            JsonNode before, JsonNode after, JsonNode arguments) {
    }

    public record AuditPage(List<AuditView> items, String nextCursor) {
    }

    @GetMapping("/v1/audit")
    public AuditPage list(@RequestParam(required = false) String actor,
                          @RequestParam(required = false) String entityType,
                          @RequestParam(required = false) String entityId,
                          @RequestParam(required = false) String action,
                          @RequestParam(required = false) String since,
                          @RequestParam(required = false) String until,
                          @RequestParam(required = false) String cursor,
                          @RequestParam(required = false) Integer limit) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "limit must be from 1 to " + MAX_LIMIT + ", not " + size);
        }
        AuditRepository.Query query = new AuditRepository.Query(text("actor", actor), text("entityType", entityType),
                text("entityId", entityId), text("action", action), instant("since", since), instant("until", until),
                cursor == null ? null : KeysetPosition.of(cursor).orElseThrow(
                        () -> new InvalidQueryException("cursor", "cursor is not one this endpoint returned")),
                size + 1);
        List<AuditEvent> rows = repository.find(query);
        List<AuditEvent> page = rows.size() > size ? rows.subList(0, size) : rows;
        String next = rows.size() > size
                ? new KeysetPosition(page.getLast().occurredAt(), page.getLast().id()).cursor() : null;
        return new AuditPage(page.stream().map(this::view).toList(), next);
    }

    private AuditView view(AuditEvent e) {
        return new AuditView(e.id(), e.occurredAt(), e.actor(), e.action(), e.entityType(), e.entityId(),
                e.entityName(), e.serverId(), e.outcome(), e.durationUs(), parse(e.before()), parse(e.after()),
                parse(e.arguments()));
    }

    private JsonNode parse(String text) {
        return text == null ? null : json.readTree(text);
    }

    private static String text(String parameter, String value) {
        if (value != null && value.length() > 255) {
            throw new InvalidQueryException(parameter, parameter + " may be at most 255 characters");
        }
        return value;
    }

    private static Instant instant(String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(parameter, parameter
                    + " must be an ISO-8601 instant such as 2026-12-06T10:00:00Z, not '" + shorten(value) + "'");
        }
    }

    private static String shorten(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "…" : value;
    }
}
