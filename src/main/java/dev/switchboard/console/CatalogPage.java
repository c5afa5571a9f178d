package dev.switchboard.console;

import dev.switchboard.catalog.rest.ToolEndpoint;
import dev.switchboard.catalog.rest.ToolEndpoint.ToolView;
import dev.switchboard.security.Caller;
import jakarta.servlet.http.HttpServletResponse;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's catalog of tools: searched by name and filtered by tag, a page at a time, each enabled or disabled
 * and given a display name (what virtual servers list it as). The writes run ToolEndpoint's own code, so a display
 * name the API refuses is refused here with the API's message, and a rename of a tool changed since the page was
 * drawn is refused rather than overwriting the change. Writes need catalog:write.
 */
@Controller
public class CatalogPage {

    private static final String VIEW = "console/catalog";
    private final ToolEndpoint tools;
    private final JsonMapper json;
    private final CatalogWriters writers;

    public CatalogPage(ToolEndpoint tools, JsonMapper json, CatalogWriters writers) {
        this.writers = writers;
        this.tools = tools;
        this.json = json;
    }

    /** The search as the page's form sent it. */
    public record Search(String q, String tag) {
    }

    @GetMapping(ConsolePaths.CATALOG)
    public String list(@RequestParam(name = "q", defaultValue = "") String q,
                       @RequestParam(name = "tag", defaultValue = "") String tag,
                       @RequestParam(name = "after", required = false) String after, Authentication who, Model model,
                       HttpServletResponse response) {
        return page(Caller.of(who), new Search(q.strip(), tag.strip()), after, model, response);
    }

    @PostMapping(ConsolePaths.CATALOG + "/tools/{id}/{action:enable|disable}")
    public String setEnabled(@PathVariable String id, @PathVariable String action,
                             @RequestParam(name = "q", defaultValue = "") String q,
                             @RequestParam(name = "tag", defaultValue = "") String tag, Authentication who,
                             Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        Search search = new Search(q, tag);
        if (!writers.mayWrite(caller)) {
            return forbidden(caller, search, model, response);
        }
        try {
            UUID uuid = UUID.fromString(id);
            ToolView changed = (action.equals("enable") ? tools.enable(uuid) : tools.disable(uuid)).getBody();
            redirect.addFlashAttribute("notice", changed.name() + " is " + action + "d.");
        } catch (RuntimeException e) {
            return failed(caller, search, e, model, response);
        }
        return back(search);
    }

    @PostMapping(ConsolePaths.CATALOG + "/tools/{id}/display-name")
    public String rename(@PathVariable String id, @RequestParam(name = "displayName", defaultValue = "") String name,
                         @RequestParam(name = "version", defaultValue = "-1") long version,
                         @RequestParam(name = "q", defaultValue = "") String q,
                         @RequestParam(name = "tag", defaultValue = "") String tag, Authentication who, Model model,
                         HttpServletResponse response, RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        Search search = new Search(q, tag);
        if (!writers.mayWrite(caller)) {
            return forbidden(caller, search, model, response);
        }
        try {
            // The version the page showed: a tool changed since then is refused (409), not overwritten.
            ToolView changed = tools.patch(UUID.fromString(id), null,
                    json.createObjectNode().put("displayName", name.strip()).put("version", version)).getBody();
            redirect.addFlashAttribute("notice", changed.name() + " is listed as " + changed.displayName() + ".");
        } catch (RuntimeException e) {
            model.addAttribute("failedId", id);
            return failed(caller, search, e, model, response);
        }
        return back(search);
    }

    private String page(Caller caller, Search search, String after, Model model, HttpServletResponse response) {
        ToolEndpoint.PageView<ToolView> page;
        try {
            page = tools.list(PageErrors.blankToNull(after), OverviewPage.PAGE_SIZE,
                    PageErrors.blankToNull(search.tag()), PageErrors.blankToNull(search.q()), null);
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            search = new Search("", "");
            page = tools.list(null, OverviewPage.PAGE_SIZE, null, null, null);
        }
        model.addAttribute("tools", page.items());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("search", search);
        model.addAttribute("canWrite", writers.mayWrite(caller));
        model.addAttribute("active", "catalog");
        return VIEW;
    }

    private String failed(Caller caller, Search search, RuntimeException e, Model model,
                          HttpServletResponse response) {
        PageErrors.show(e, model, response);
        return page(caller, search, null, model, response);
    }

    private String forbidden(Caller caller, Search search, Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("error", "You may not change the catalog: that needs the catalog:write scope and "
                + "an editor's role in a team.");
        return page(caller, search, null, model, response);
    }

    /** Back to the list as it was searched. */
    private static String back(Search search) {
        UriComponentsBuilder target = UriComponentsBuilder.fromPath(ConsolePaths.CATALOG);
        if (!search.q().isBlank()) {
            target.queryParam("q", search.q());
        }
        if (!search.tag().isBlank()) {
            target.queryParam("tag", search.tag());
        }
        return "redirect:" + target.encode().build().toUriString();
    }


}
