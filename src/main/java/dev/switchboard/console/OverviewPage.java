package dev.switchboard.console;

import dev.switchboard.catalog.Codes;
import dev.switchboard.catalog.CommandDocument;
import dev.switchboard.catalog.InvalidCursorException;
import dev.switchboard.catalog.ListQuery;
import dev.switchboard.catalog.Page;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.UpstreamGatewayRepository;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.catalog.UpstreamHealthRepository.UpstreamHealth;
import dev.switchboard.observability.EntityType;
import dev.switchboard.observability.InvocationReport;
import dev.switchboard.observability.Readiness;
import dev.switchboard.security.TeamAccess;
import dev.switchboard.security.UserRights;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's first page: the registry's database (engine, version, schema) as /ready sees it; the upstreams with
 * what the shared health checks last saw of each, a page at a time; and charts of the calls, error rate and p95
 * latency per virtual server and per tool over the last hour or day, from the invocation metrics the caller may see
 * (as at /v1/metrics).
 */
@Controller
public class OverviewPage {

    /** Upstreams per page. */
    static final int PAGE_SIZE = 50;

    private final Readiness readiness;
    private final UpstreamGatewayRepository gateways;
    private final UpstreamHealthRepository health;
    private final UserRights rights;
    private final InvocationReport report;

    public OverviewPage(Readiness readiness, UpstreamGatewayRepository gateways, UpstreamHealthRepository health,
                        UserRights rights, InvocationReport report) {
        this.report = report;
        this.readiness = readiness;
        this.rights = rights;
        this.gateways = gateways;
        this.health = health;
    }

    /**
     * An upstream as the overview lists it.
     *
     * @param target        its URL, or its stdio command
     * @param lastCheckedAt the last health check, or null before the first
     * @param lastError     the last check's error when it failed, or null
     */
    public record UpstreamRow(String name, String transport, String target, boolean enabled, boolean reachable,
                              Instant lastSeenAt, Instant lastCheckedAt, String lastError) {
    }

    @GetMapping({ConsolePaths.ROOT, ConsolePaths.ROOT + "/"})
    public String overview(@RequestParam(name = "after", required = false) String after,
                           @RequestParam(name = "window", required = false) String window, Authentication who,
                           Model model, HttpServletResponse response) {
        // A user sees their teams' upstreams, as at /v1/gateways.
        TeamAccess access = rights.accessOf(who);
        Readiness.Verdict verdict = readiness.check();
        model.addAttribute("ready", verdict.ready());
        model.addAttribute("readiness", verdict.body());
        Page<UpstreamGateway> page;
        try {
            page = gateways.list(new ListQuery(PageErrors.blankToNull(after), PAGE_SIZE, null, null, null), access);
        } catch (InvalidCursorException e) {
            // A stale or edited link: say so, and show the first page.
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("error", e.getMessage());
            page = gateways.list(ListQuery.first(PAGE_SIZE), access);
        }
        model.addAttribute("upstreams", page.items().stream().map(this::row).toList());
        model.addAttribute("nextCursor", page.nextCursor());
        ActivityCharts.Window span = ActivityCharts.Window.of(window);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant since = now.minus(span.span);
        model.addAttribute("window", span);
        model.addAttribute("windows", ActivityCharts.Window.values());
        model.addAttribute("serverChart", ActivityCharts.of(report.since(since, now, EntityType.SERVER, access)));
        model.addAttribute("toolChart", ActivityCharts.of(report.since(since, now, EntityType.TOOL, access)));
        model.addAttribute("active", "overview");
        return "console/overview";
    }

    private UpstreamRow row(UpstreamGateway g) {
        UpstreamHealth checked = health.find(g.id()).orElse(null);
        String target = g.url() != null ? g.url() : commandOf(g);
        return new UpstreamRow(g.name(), Codes.of(g.transport()), target, g.enabled(), g.reachable(), g.lastSeenAt(),
                checked == null ? null : checked.lastCheckedAt(), checked == null ? null : checked.lastError());
    }

    /** The stdio program and its arguments, as the API shows them (never its environment, which may hold secrets). */
    private static String commandOf(UpstreamGateway g) {
        if (g.command() == null) {
            return "";
        }
        CommandDocument document = CommandDocument.parse(g.command());
        return String.join(" ", Stream.concat(Stream.of(document.command()), document.args().stream()).toList());
    }
}
