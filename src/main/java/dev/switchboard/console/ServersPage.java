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
 * by one (found by name), or add at once everything of one upstream or everything with one tag. What cannot join (a
 * tool whose display name the server already presents) is listed next to the entry that caused it, with the API's
 * reason. Members are listed per kind, a page at a time.
 * Every write runs ServerEndpoint's own code, guarded by the server version the page showed. Writes need
 * catalog:write.
 */
@Controller
public class ServersPage {

    /** Entries offered to pick from, per search. */
    static final int PICK_LIMIT = 20;
    /** Members of one kind shown at a time. */
    static final int MEMBERS_PER_PAGE = 50;
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
     * A page of the members of one kind, as the server's page lists them.
     *
     * @param kind  the kind as addresses name it (tools)
     * @param noun  one of them (tool)
     * @param from  the position of the first one shown
     * @param total how many there are
     */
    public record MemberList(String kind, String noun, String heading, List<ServerEndpoint.Member> members,
                             int from, int total) {

        public boolean hasNext() {
            return from + members.size() < total;
        }

        public int nextFrom() {
            return from + MEMBERS_PER_PAGE;
        }

        public int previousFrom() {
            return Math.max(0, from - MEMBERS_PER_PAGE);
        }
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
                         @RequestParam(name = "list", defaultValue = "") String list,
                         @RequestParam(name = "from", defaultValue = "0") String from,
                         Authentication who, Model model, HttpServletResponse response) {
        return serverPage(Caller.of(who), id, q, kind, Position.of(list, from), model, response);
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
        return serverPage(caller, id, "", "tools", Position.FIRST, model, response);
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

    /**
     * The server's page; {@code q} names the entries of kind {@code pick} offered to add, and {@code position} which
     * members are listed.
     */
    private String serverPage(Caller caller, String id, String q, String pick, Position position, Model model,
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
        List<MemberList> members = List.of(members(uuid, "tools", "Tools", position),
                members(uuid, "resources", "Resources", position), members(uuid, "prompts", "Prompts", position));
        String kind = List.of("resources", "prompts").contains(pick) ? pick : "tools";
        Set<UUID> memberIds = q.isBlank() ? Set.of() : servers.members(uuid, kind).getBody().items().stream()
                .map(ServerEndpoint.Member::id).collect(Collectors.toSet());
        model.addAttribute("server", server);
        model.addAttribute("memberLists", members);
        model.addAttribute("empty", members.stream().allMatch(m -> m.total() == 0));
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

    /** Where the server's page lists members from: in the list of one kind, from a position; the others first. */
    private record Position(String list, int from) {

        static final Position FIRST = new Position("", 0);

        /** The position a link names; one that is not a number is the first. */
        static Position of(String list, String from) {
            try {
                return new Position(list, Integer.parseInt(from));
            } catch (NumberFormatException e) {
                return FIRST;
            }
        }

        int in(String kind, int total) {
            return kind.equals(list) && from > 0 && from < total ? from : 0;
        }
    }

    /** A page of the members of {@code kind}, from {@code position}. */
    private MemberList members(UUID server, String kind, String heading, Position position) {
        List<ServerEndpoint.Member> all = servers.members(server, kind).getBody().items();
        int from = position.in(kind, all.size());
        return new MemberList(kind, noun(kind), heading,
                all.subList(from, Math.min(all.size(), from + MEMBERS_PER_PAGE)), from, all.size());
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
        return serverPage(caller, id, "", "tools", Position.FIRST, model, response);
    }

    private String refused(Caller caller, Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("error", CatalogWriters.SERVERS_REFUSED);
        return listPage(caller, null, "", null, model, response);
    }

    /** The If-Match value for the version the page showed, or none when the form sent none. */
    private static String etag(long version) {
        return version < 0 ? null : "\"" + version + "\"";
    }

}
