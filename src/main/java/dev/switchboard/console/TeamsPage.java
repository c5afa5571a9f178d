package dev.switchboard.console;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.security.Caller;
import dev.switchboard.users.TeamDirectory;
import dev.switchboard.users.TeamDirectory.MemberView;
import dev.switchboard.users.TeamDirectory.TeamView;
import dev.switchboard.users.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console's Teams pages, through TeamDirectory's own code, so that the rules, messages and audit trail are those
 * of /v1/teams: the teams the user may see with their role in each; a team created by a platform administrator; a
 * team's members, added by username, given another role or removed by its owners and platform administrators.
 */
@Controller
public class TeamsPage {

    private static final String LIST = "console/teams";
    private static final String TEAM = "console/team";

    private final TeamDirectory teams;
    private final UserDirectory users;
    private final JsonMapper json;

    public TeamsPage(TeamDirectory teams, UserDirectory users, JsonMapper json) {
        this.teams = teams;
        this.users = users;
        this.json = json;
    }

    /** A team in the list, with the signed-in user's role in it (null when they are no member). */
    public record TeamRow(TeamView team, String role) {
    }

    /** What a form shows again after a mistake, and the mistake by its field. */
    public record Form(String name, String description, String field, String error) {
        static Form blank() {
            return new Form("", "", null, null);
        }
    }

    @GetMapping(ConsolePaths.TEAMS)
    public String list(@RequestParam(name = "after", required = false) String after, Authentication who,
                       Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        TeamDirectory.TeamPage page;
        try {
            page = teams.list(caller, PageErrors.blankToNull(after), OverviewPage.PAGE_SIZE);
        } catch (RuntimeException e) {
            // A stale or edited link: say so, and show the first page.
            PageErrors.show(e, model, response);
            page = teams.list(caller, null, OverviewPage.PAGE_SIZE);
        }
        return listPage(caller, Form.blank(), page, PageErrors.blankToNull(after) != null, model);
    }

    @PostMapping(ConsolePaths.TEAMS)
    public String create(@RequestParam(name = "name", defaultValue = "") String name,
                         @RequestParam(name = "description", defaultValue = "") String description,
                         Authentication who, Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        ObjectNode body = json.createObjectNode().put("name", name);
        if (!description.isBlank()) {
            body.put("description", description);
        }
        try {
            TeamView created = teams.create(caller, body);
            return "redirect:" + ConsolePaths.TEAMS + "/" + created.id() + "?created";
        } catch (RuntimeException e) {
            if (!(e instanceof ApiProblem problem)) {
                throw e;
            }
            response.setStatus(problem.problemType().status().value());
            return listPage(caller, new Form(name, description, problem.problemField(), problem.problemDetail()),
                    model);
        }
    }

    @GetMapping(ConsolePaths.TEAMS + "/{id}")
    public String team(@PathVariable String id, @RequestParam(name = "created", required = false) String created,
                       @RequestParam(name = "changed", required = false) String changed, Authentication who,
                       Model model, HttpServletResponse response) {
        if (created != null) {
            model.addAttribute("notice", "The team was created.");
        } else if (changed != null) {
            model.addAttribute("notice", "The members were changed.");
        }
        return teamPage(Caller.of(who), id, "", model, response);
    }

    /** Adds a member by username, or gives a member another role, then goes back to the team by a redirect. */
    @PostMapping(ConsolePaths.TEAMS + "/{id}/members")
    public String putMember(@PathVariable String id, @RequestParam(name = "username", defaultValue = "") String username,
                            @RequestParam(name = "role", defaultValue = "") String role, Authentication who,
                            Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        Optional<UUID> user = users.named(username.strip()).map(u -> u.id());
        if (user.isEmpty()) {
            response.setStatus(422);
            model.addAttribute("error", "No user is named '" + username.strip() + "'.");
            return teamPage(caller, id, username, model, response);
        }
        try {
            if (teams.putMember(caller, UUID.fromString(id), user.get(),
                    json.createObjectNode().put("role", role)).isEmpty()) {
                return missing(model, response);
            }
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return teamPage(caller, id, username, model, response);
        }
        return "redirect:" + ConsolePaths.TEAMS + "/" + id + "?changed";
    }

    @PostMapping(ConsolePaths.TEAMS + "/{id}/members/{userId}/remove")
    public String removeMember(@PathVariable String id, @PathVariable String userId, Authentication who, Model model,
                               HttpServletResponse response) {
        Caller caller = Caller.of(who);
        try {
            if (!teams.removeMember(caller, UUID.fromString(id), UUID.fromString(userId))) {
                return missing(model, response);
            }
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return teamPage(caller, id, "", model, response);
        }
        return "redirect:" + ConsolePaths.TEAMS + "/" + id + "?changed";
    }

    private String listPage(Caller caller, Form form, Model model) {
        return listPage(caller, form, teams.list(caller, null, OverviewPage.PAGE_SIZE), false, model);
    }

    /** The list of teams, a page of them at a time; {@code paged} when it is not the first. */
    private String listPage(Caller caller, Form form, TeamDirectory.TeamPage page, boolean paged, Model model) {
        model.addAttribute("paged", paged);
        model.addAttribute("active", "teams");
        model.addAttribute("form", form);
        model.addAttribute("mayCreate", caller.isAdmin());
        model.addAttribute("teams", page.items().stream().map(t -> new TeamRow(t, roleOf(caller, t))).toList());
        model.addAttribute("nextCursor", page.nextCursor());
        return LIST;
    }

    private String teamPage(Caller caller, String id, String username, Model model, HttpServletResponse response) {
        model.addAttribute("active", "teams");
        model.addAttribute("username", username);
        Optional<TeamView> team;
        try {
            team = teams.find(caller, UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            team = Optional.empty();
        }
        if (team.isEmpty()) {
            return missing(model, response);
        }
        String role = roleOf(caller, team.get());
        model.addAttribute("team", team.get());
        model.addAttribute("role", role);
        model.addAttribute("mayManage", caller.isAdmin() || "owner".equals(role));
        model.addAttribute("roles", List.of("viewer", "editor", "owner"));
        return TEAM;
    }

    private String missing(Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        model.addAttribute("active", "teams");
        model.addAttribute("error", "No team of this id that you may see.");
        model.addAttribute("team", null);
        return TEAM;
    }

    private static String roleOf(Caller caller, TeamView team) {
        return team.members().stream().filter(m -> m.username().equals(caller.subject())).map(MemberView::role)
                .findFirst().orElse(null);
    }
}
