package dev.switchboard.console;

import dev.switchboard.catalog.rest.CatalogEndpoint;
import dev.switchboard.catalog.rest.PromptEndpoint;
import dev.switchboard.catalog.rest.ResourceEndpoint;
import dev.switchboard.catalog.rest.ToolEndpoint;
import dev.switchboard.security.Caller;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's catalog: tools, resources and prompts, each kind on its own tab, searched by name and filtered by
 * tag, a page at a time; each entry enabled or disabled, and a tool or a prompt given a display name (what virtual
 * servers list it as). The writes run the kind's own endpoint code, so a display name the API refuses is refused here
 * with the API's message, and a rename of an entry changed since the page was drawn is refused rather than
 * overwriting the change. Writes need catalog:write and an editor's role in the entry's team.
 */
@Controller
public class CatalogPage {

    private static final String VIEW = "console/catalog";
    private static final String KINDS = "{kind:tools|resources|prompts}";

    /** A kind of entry as the page shows it: its endpoint, its names, and whether it has a display name. */
    record Kind(String path, String singular, String title, CatalogEndpoint<?, ?, ?> endpoint, boolean renamed) {
    }

    private final Map<String, Kind> kinds;
    private final JsonMapper json;
    private final CatalogWriters writers;

    public CatalogPage(ToolEndpoint tools, ResourceEndpoint resources, PromptEndpoint prompts, JsonMapper json,
                       CatalogWriters writers) {
        this.kinds = Map.of("tools", new Kind("tools", "tool", "Tools", tools, true),
                "resources", new Kind("resources", "resource", "Resources", resources, false),
                "prompts", new Kind("prompts", "prompt", "Prompts", prompts, true));
        this.writers = writers;
        this.json = json;
    }

    /** The search as the page's form sent it. */
    public record Search(String q, String tag) {
    }

    @GetMapping(ConsolePaths.CATALOG)
    public String tools(@RequestParam(name = "q", defaultValue = "") String q,
                        @RequestParam(name = "tag", defaultValue = "") String tag,
                        @RequestParam(name = "after", required = false) String after, Authentication who, Model model,
                        HttpServletResponse response) {
        return list("tools", q, tag, after, who, model, response);
    }

    @GetMapping(ConsolePaths.CATALOG + "/" + KINDS)
    public String list(@PathVariable String kind, @RequestParam(name = "q", defaultValue = "") String q,
                       @RequestParam(name = "tag", defaultValue = "") String tag,
                       @RequestParam(name = "after", required = false) String after, Authentication who, Model model,
                       HttpServletResponse response) {
        return page(Caller.of(who), kinds.get(kind), new Search(q.strip(), tag.strip()), after, model, response);
    }

    @PostMapping(ConsolePaths.CATALOG + "/" + KINDS + "/{id}/{action:enable|disable}")
    public String setEnabled(@PathVariable String kind, @PathVariable String id, @PathVariable String action,
                             @RequestParam(name = "q", defaultValue = "") String q,
                             @RequestParam(name = "tag", defaultValue = "") String tag, Authentication who,
                             Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        Kind k = kinds.get(kind);
        Search search = new Search(q, tag);
        if (!writers.mayWrite(caller)) {
            return forbidden(caller, k, search, model, response);
        }
        try {
            UUID uuid = UUID.fromString(id);
            Object changed = (action.equals("enable") ? k.endpoint().enable(uuid) : k.endpoint().disable(uuid))
                    .getBody();
            redirect.addFlashAttribute("notice", field(changed, "name") + " is " + action + "d.");
        } catch (RuntimeException e) {
            return failed(caller, k, search, e, model, response);
        }
        return back(k, search);
    }

    @PostMapping(ConsolePaths.CATALOG + "/{kind:tools|prompts}/{id}/display-name")
    public String rename(@PathVariable String kind, @PathVariable String id,
                         @RequestParam(name = "displayName", defaultValue = "") String name,
                         @RequestParam(name = "version", defaultValue = "-1") long version,
                         @RequestParam(name = "q", defaultValue = "") String q,
                         @RequestParam(name = "tag", defaultValue = "") String tag, Authentication who, Model model,
                         HttpServletResponse response, RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        Kind k = kinds.get(kind);
        Search search = new Search(q, tag);
        if (!writers.mayWrite(caller)) {
            return forbidden(caller, k, search, model, response);
        }
        try {
            // The version the page showed: an entry changed since then is refused (409), not overwritten.
            Object changed = k.endpoint().patch(UUID.fromString(id), null,
                    json.createObjectNode().put("displayName", name.strip()).put("version", version)).getBody();
            redirect.addFlashAttribute("notice", field(changed, "name") + " is listed as "
                    + field(changed, "displayName") + ".");
        } catch (RuntimeException e) {
            model.addAttribute("failedId", id);
            return failed(caller, k, search, e, model, response);
        }
        return back(k, search);
    }

    private String page(Caller caller, Kind kind, Search search, String after, Model model,
                        HttpServletResponse response) {
        CatalogEndpoint.PageView<?> page;
        try {
            page = kind.endpoint().list(PageErrors.blankToNull(after), OverviewPage.PAGE_SIZE,
                    PageErrors.blankToNull(search.tag()), PageErrors.blankToNull(search.q()), null);
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            search = new Search("", "");
            page = kind.endpoint().list(null, OverviewPage.PAGE_SIZE, null, null, null);
        }
        model.addAttribute("kind", kind);
        model.addAttribute("entries", page.items());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("search", search);
        model.addAttribute("canWrite", writers.mayWrite(caller));
        model.addAttribute("active", "catalog");
        return VIEW;
    }

    private String failed(Caller caller, Kind kind, Search search, RuntimeException e, Model model,
                          HttpServletResponse response) {
        PageErrors.show(e, model, response);
        return page(caller, kind, search, null, model, response);
    }

    private String forbidden(Caller caller, Kind kind, Search search, Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("error", "You may not change the catalog: that needs the catalog:write scope and "
                + "an editor's role in a team.");
        return page(caller, kind, search, null, model, response);
    }

    /** One field of an entry's view, as the API writes it. */
    private String field(Object view, String name) {
        JsonNode tree = json.valueToTree(view);
        return tree.path(name).asString("");
    }

    /** Back to the kind's list as it was searched. */
    private static String back(Kind kind, Search search) {
        UriComponentsBuilder target = UriComponentsBuilder.fromPath(ConsolePaths.CATALOG + "/" + kind.path());
        if (!search.q().isBlank()) {
            target.queryParam("q", search.q());
        }
        if (!search.tag().isBlank()) {
            target.queryParam("tag", search.tag());
        }
        return "redirect:" + target.encode().build().toUriString();
    }
}
