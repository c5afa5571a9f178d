package dev.switchboard.console;

import dev.switchboard.audit.AuditEndpoint;
import dev.switchboard.security.Caller;
import dev.switchboard.security.Scope;
import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's audit trail: who changed what and who invoked what, newest first, filtered by actor, action and kind
 * of entry, a page at a time, with each change's entry before and after. It reads through AuditEndpoint's own code,
 * so it shows what {@code GET /v1/audit} shows and refuses what it refuses. It needs the admin scope.
 */
@Controller
public class AuditPage {

    private static final String VIEW = "console/audit";
    private final AuditEndpoint audit;
    private final JsonMapper json;

    public AuditPage(AuditEndpoint audit, JsonMapper json) {
        this.audit = audit;
        this.json = json;
    }

    /** The filters as the page's form sent them. */
    public record Filter(String actor, String action, String entityType) {
    }

    /**
     * One row as the page shows it: when to the second in UTC, the entry by name (or id), an invocation's outcome
     * and milliseconds, and the stored states as indented JSON, or null.
     */
    public record Row(AuditEndpoint.AuditView event, String when, String entry, String outcome, String before,
                      String after, String arguments) {
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @GetMapping(ConsolePaths.AUDIT)
    public String list(@RequestParam(name = "actor", defaultValue = "") String actor,
                       @RequestParam(name = "action", defaultValue = "") String action,
                       @RequestParam(name = "entityType", defaultValue = "") String entityType,
                       @RequestParam(name = "after", required = false) String after, Authentication who, Model model,
                       HttpServletResponse response) {
        Filter filter = new Filter(actor.strip(), action.strip(), entityType.strip());
        model.addAttribute("filter", filter);
        model.addAttribute("active", "audit");
        model.addAttribute("rows", List.of());
        if (!Caller.of(who).scopes().contains(Scope.ADMIN)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("error", "The audit trail is for administrators: it needs the admin scope.");
            return VIEW;
        }
        AuditEndpoint.AuditPage page;
        try {
            page = audit.list(PageErrors.blankToNull(filter.actor()), PageErrors.blankToNull(filter.entityType()),
                    null, PageErrors.blankToNull(filter.action()), null, null, PageErrors.blankToNull(after),
                    OverviewPage.PAGE_SIZE);
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return VIEW;
        }
        List<Row> rows = page.items().stream().map(e -> new Row(e, WHEN.format(e.occurredAt()),
                e.entityName() != null ? e.entityName() : e.entityId() != null ? e.entityId() : "", outcome(e),
                pretty(e.before()), pretty(e.after()), pretty(e.arguments()))).toList();
        model.addAttribute("rows", rows);
        model.addAttribute("nextCursor", page.nextCursor());
        return VIEW;
    }

    private static String outcome(AuditEndpoint.AuditView e) {
        if (e.outcome() == null) {
            return "";
        }
        return e.durationUs() == null ? e.outcome() : e.outcome() + ", " + e.durationUs() / 1000 + " ms";
    }

    private String pretty(JsonNode node) {
        return node == null || node.isNull() ? null : json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }
}
