package dev.switchboard.console;

import dev.switchboard.catalog.rest.GatewayEndpoint;
import dev.switchboard.catalog.rest.PromptEndpoint;
import dev.switchboard.catalog.rest.ResourceEndpoint;
import dev.switchboard.catalog.rest.ServerEndpoint;
import dev.switchboard.catalog.rest.ServerEndpoint.BulkMembersView;
import dev.switchboard.catalog.rest.ServerEndpoint.ServerBody;
import dev.switchboard.catalog.rest.ServerEndpoint.ServerView;
import dev.switchboard.catalog.rest.ToolEndpoint;
import dev.switchboard.problem.ApiProblem;
import dev.switchboard.security.Caller;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's virtual servers: create one, then compose it from the catalog: pick tools, resources and prompts one
 * by one (found by name), or add at once everything of one upstream or everything with one tag. What cannot join (a tool whose
 * display name the server already presents) is listed next to the entry that caused it, with the API's reason.
 * Every write runs ServerEndpoint's own code, guarded by the server version the page showed. Writes need
 * catalog:write.
 */
@Controller
public class ServersPage {

    /** Entries offered to pick from, per search. */
    static final int PICK_LIMIT = 20;
    /** A kind of member as the addresses name it. */
    private static final String KIND = "{kind:tools|resources|prompts}";
    private final ServerEndpoint servers;
    private final GatewayEndpoint gateways;
    private final ToolEndpoint tools;
    private final ResourceEndpoint resources;
    private final PromptEndpoint prompts;
    private final CatalogWriters writers;

    public ServersPage(ServerEndpoint servers, GatewayEndpoint gateways, ToolEndpoint tools,
                       ResourceEndpoint resources, PromptEndpoint prompts, CatalogWriters writers) {
        this.writers = writers;
        this.servers = servers;
        this.gateways = gateways;
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
    }

    /**
     * The members of one kind, as the page lists them.
     *
     * @param kind the kind as addresses name it (tools)
     * @param noun one of them (tool)
     */
    public record MemberList(String kind, String noun, String heading, List<ServerEndpoint.Member> members) {
    }

    /** An entry offered to pick: its name and how the server would present it (a display name, a URI). */
    public record Candidate(UUID id, String name, String detail) {
    }

    @GetMapping(ConsolePaths.SERVERS)
    public String list(@RequestParam(name = "after", required = false) String after, Authentication who,
                       Model model, HttpServletResponse response) {
        return listPage(Caller.of(who), after, "", null, model, response);
    }

    @PostMapping(ConsolePaths.SERVERS)
    public String create(@RequestParam(name = "name", defaultValue = "") String name,
                         @RequestParam(name = "description", defaultValue = "") String description,
                         @RequestParam(name = "visibility", defaultValue = "public") String visibility,
                         Authentication who, Model model, HttpServletResponse response,
                         RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        if (!writers.mayWrite(caller)) {
            return refused(caller, model, response);
        }
        ServerView created;
        try {
            created = servers.create(new ServerBody(name.strip(), description.isBlank() ? null : description.strip(),
                    null, null, null, null, null, visibility, null, null, null)).getBody();
        } catch (RuntimeException e) {
            if (!(e instanceof ApiProblem problem)) {
                throw e;
            }
            response.setStatus(problem.problemType().status().value());
            return listPage(caller, null, name, problem.problemDetail(), model, response);
        }
        redirect.addFlashAttribute("notice", "Created " + created.name() + ". Now add what it serves.");
        return "redirect:" + ConsolePaths.SERVERS + "/" + created.id();
    }

    @GetMapping(ConsolePaths.SERVERS + "/{id}")
    public String server(@PathVariable String id, @RequestParam(name = "q", defaultValue = "") String q,
                         @RequestParam(name = "kind", defaultValue = "tools") String kind,
                         Authentication who, Model model, HttpServletResponse response) {
        return serverPage(Caller.of(who), id, q, kind, model, response);
    }

    /** Adds everything of one upstream (gateway) or with one tag; the entries refused are listed with why. */
    @PostMapping(ConsolePaths.SERVERS + "/{id}/members")
    public String addMany(@PathVariable String id, @RequestParam(name = "gateway", required = false) String gateway,
                          @RequestParam(name = "tag", required = false) String tag,
                          @RequestParam(name = "version", defaultValue = "-1") long version, Authentication who,
                          Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!writers.mayWrite(caller)) {
            return refused(caller, model, response);
        }
        try {
            BulkMembersView done = servers.addMembers(UUID.fromString(id), etag(version),
                    new ServerEndpoint.BulkMembersBody(PageErrors.blankToNull(gateway),
                            gateway == null ? PageErrors.blankToNull(tag) : null))
                    .getBody();
            int added = done.added().tools().size() + done.added().resources().size() + done.added().prompts().size();
            model.addAttribute("notice", "Added " + added + (added == 1 ? " entry" : " entries")
                    + (done.conflicts().isEmpty() ? "." : "; " + done.conflicts().size() + " could not join (below)."));
            model.addAttribute("conflicts", done.conflicts());
        } catch (RuntimeException e) {
            return failedOnServer(caller, id, e, model, response);
        }
        return serverPage(caller, id, "", "tools", model, response);
    }

    @PostMapping(ConsolePaths.SERVERS + "/{id}/" + KIND + "/{entryId}")
    public String addMember(@PathVariable String id, @PathVariable String kind, @PathVariable String entryId,
                            @RequestParam(name = "version", defaultValue = "-1") long version, Authentication who,
                            Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return changeMember(id, who, model, response, redirect, "Added the " + noun(kind) + ".",
                () -> servers.addMember(UUID.fromString(id), kind, UUID.fromString(entryId), etag(version)));
    }

    @PostMapping(ConsolePaths.SERVERS + "/{id}/" + KIND + "/{entryId}/remove")
    public String removeMember(@PathVariable String id, @PathVariable String kind, @PathVariable String entryId,
                               @RequestParam(name = "version", defaultValue = "-1") long version, Authentication who,
                               Model model, HttpServletResponse response, RedirectAttributes redirect) {
        return changeMember(id, who, model, response, redirect, "Removed the " + noun(kind) + ".",
                () -> servers.removeMember(UUID.fromString(id), kind, UUID.fromString(entryId), etag(version)));
    }

    /** Runs one membership change and goes back to the server, or shows why the API refused it. */
    private String changeMember(String id, Authentication who, Model model, HttpServletResponse response,
                                RedirectAttributes redirect, String done, Runnable change) {
        Caller caller = Caller.of(who);
        if (!writers.mayWrite(caller)) {
            return refused(caller, model, response);
        }
        try {
            change.run();
        } catch (RuntimeException e) {
            return failedOnServer(caller, id, e, model, response);
        }
        redirect.addFlashAttribute("notice", done);
        return "redirect:" + ConsolePaths.SERVERS + "/" + id;
    }

    private String listPage(Caller caller, String after, String name, String error, Model model,
                            HttpServletResponse response) {
        ServerEndpoint.PageView<ServerView> page;
        try {
            page = servers.list(PageErrors.blankToNull(after), OverviewPage.PAGE_SIZE, null, null, null);
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            page = servers.list(null, OverviewPage.PAGE_SIZE, null, null, null);
        }
        model.addAttribute("servers", page.items());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("name", name);
        model.addAttribute("nameError", error);
        model.addAttribute("canWrite", writers.mayWrite(caller));
        model.addAttribute("active", "servers");
        return "console/servers";
    }

    /** The server's page; {@code q} names the entries of kind {@code pick} offered to add. */
    private String serverPage(Caller caller, String id, String q, String pick, Model model,
                              HttpServletResponse response) {
        UUID uuid;
        ServerView server;
        try {
            uuid = UUID.fromString(id);
            server = servers.get(uuid).getBody();
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return listPage(caller, null, "", null, model, response);
        }
        List<MemberList> members = List.of(members(uuid, "tools", "Tools"), members(uuid, "resources", "Resources"),
                members(uuid, "prompts", "Prompts"));
        String kind = List.of("resources", "prompts").contains(pick) ? pick : "tools";
        Set<UUID> memberIds = members.stream().flatMap(m -> m.members().stream()).map(ServerEndpoint.Member::id)
                .collect(Collectors.toSet());
        model.addAttribute("server", server);
        model.addAttribute("memberLists", members);
        model.addAttribute("empty", members.stream().allMatch(m -> m.members().isEmpty()));
        model.addAttribute("q", q);
        model.addAttribute("kind", kind);
        // Entries to pick from: found by name, those already in the server left out.
        String name = q.strip().length() > 128 ? q.strip().substring(0, 128) : q.strip();
        model.addAttribute("candidates", name.isEmpty() ? List.of() : candidates(kind, name).stream()
                .filter(c -> !memberIds.contains(c.id())).toList());
        model.addAttribute("upstreams", gateways.list(null, 500, null, null, null).items());
        model.addAttribute("canWrite", writers.mayWrite(caller));
        model.addAttribute("active", "servers");
        return "console/server";
    }

    private MemberList members(UUID server, String kind, String heading) {
        return new MemberList(kind, noun(kind), heading, servers.members(server, kind).getBody().items());
    }

    private List<Candidate> candidates(String kind, String name) {
        return switch (kind) {
            case "resources" -> resources.list(null, PICK_LIMIT, null, name, null).items().stream()
                    .map(r -> new Candidate(r.id(), r.name(), r.uri())).toList();
            case "prompts" -> prompts.list(null, PICK_LIMIT, null, name, null).items().stream()
                    .map(p -> new Candidate(p.id(), p.name(), "listed as " + p.displayName())).toList();
            default -> tools.list(null, PICK_LIMIT, null, name, null).items().stream()
                    .map(t -> new Candidate(t.id(), t.name(), "listed as " + t.displayName())).toList();
        };
    }

    /** One member of {@code kind}: tool, resource or prompt. */
    private static String noun(String kind) {
        return kind.substring(0, kind.length() - 1);
    }

    private String failedOnServer(Caller caller, String id, RuntimeException e, Model model,
                                  HttpServletResponse response) {
        PageErrors.show(e, model, response);
        return serverPage(caller, id, "", "tools", model, response);
    }

    private String refused(Caller caller, Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("error", "You may not change virtual servers: that needs the catalog:write scope and "
                + "an editor's role in a team.");
        return listPage(caller, null, "", null, model, response);
    }

    /** The If-Match value for the version the page showed, or none when the form sent none. */
    private static String etag(long version) {
        return version < 0 ? null : "\"" + version + "\"";
    }

}
