package dev.switchboard.observability;

import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import dev.switchboard.security.UserRights;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/metrics}: how often each tool, resource, prompt and virtual server was invoked, how often it failed,
 * how fast.
 */
@RestController
@Tag(name = "Metrics", description = "Invocation counts, failure rates and latency percentiles")
public class MetricsEndpoint {

    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final InvocationReport report;
    private final UserRights rights;

    MetricsEndpoint(InvocationReport report, UserRights rights) {
        this.report = report;
        this.rights = rights;
    }

    /** The report: the window it covers and one item per invoked entity, busiest first. */
    public record MetricsView(Instant since, Instant until, List<InvocationReport.Line> items) {
    }

    @GetMapping("/v1/metrics")
    @Operation(summary = "Invocation metrics per tool, resource, prompt and virtual server",
            description = "Counts, failures and p50/p95/p99 latencies of invocations started since `since`, for"
                    + " the entries the caller sees (a member: their teams' tools, resources, prompts and servers). A call"
                    + " through a virtual server counts for its tool, resource or prompt and for the server"
                    + " (`entityType: server`). Within"
                    + " the raw retention they are exact; older hours come from hourly rollups, and then the"
                    + " percentiles are estimates (`approximate: true`).")
    public MetricsView metrics(
            @Parameter(description = "An ISO-8601 instant (2026-01-02T03:04:05Z) or a duration back from now"
                    + " (PT24H, P7D); the last 24 hours when absent")
            @RequestParam(required = false) String since,
            @Parameter(description = "Only this kind: tool, resource, prompt or server")
            @RequestParam(required = false) String entityType, Authentication authentication) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant from = since(since, now);
        EntityType type = null;
        if (entityType != null) {
            type = EntityType.ofCode(entityType);
            if (type == null) {
                throw new BadMetricsQuery("entityType must be tool, resource, prompt or server; it is '" + entityType + "'",
                        "entityType");
            }
        }
        return new MetricsView(from, now, report.since(from, now, type, rights.accessOf(authentication)));
    }

    private static Instant since(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return now.minus(DEFAULT_WINDOW);
        }
        String value = text.strip();
        try {
            Instant from;
            if (value.startsWith("P") || value.startsWith("p")) {
                Duration back = Duration.parse(value);
                if (back.isNegative() || back.isZero()) {
                    throw new BadMetricsQuery("since must be a positive duration; it is '" + text + "'", "since");
                }
                from = now.minus(back);
            } else {
                from = Instant.parse(value);
            }
            if (from.isAfter(now)) {
                throw new BadMetricsQuery("since must not be in the future; it is '" + text + "'", "since");
            }
            return from.truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new BadMetricsQuery("since must be an ISO-8601 instant such as 2026-01-02T03:04:05Z or a duration"
                    + " such as PT24H; it is '" + text + "'", "since");
        }
    }

    @ExceptionHandler(BadMetricsQuery.class)
    ResponseEntity<ProblemDetail> badQuery(BadMetricsQuery e) {
        return ResponseEntity.status(400).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(ProblemType.MALFORMED_REQUEST, e.getMessage(), e.parameter));
    }

    /** A query parameter the report cannot use. */
    static final class BadMetricsQuery extends RuntimeException {

        private final String parameter;

        BadMetricsQuery(String message, String parameter) {
            super(message, null, false, false);
            this.parameter = parameter;
        }
    }
}
