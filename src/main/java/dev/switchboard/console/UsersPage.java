package dev.switchboard.console;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.security.Caller;
import dev.switchboard.security.Scope;
import dev.switchboard.users.User;
import dev.switchboard.users.UserDirectory;
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
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console's Users page, for platform administrators (the admin scope): every user with their kind, roles and
 * last sign-in; a local user created with the rules of POST /v1/users; a user enabled, disabled, made or unmade a
 * platform administrator through UserDirectory's own code, so that the audit trail and the users' sessions and
 * tokens follow at once.
 */
@Controller
public class UsersPage {

    private static final String VIEW = "console/users";
    /** The changes the row buttons make, by the name in their address. */
    private static final Map<String, Map<String, Boolean>> CHANGES = Map.of(
            "enable", Map.of("enabled", true), "disable", Map.of("enabled", false),
            "promote", Map.of("platformAdmin", true), "demote", Map.of("platformAdmin", false));

    private final UserDirectory users;
    private final JsonMapper json;

    public UsersPage(UserDirectory users, JsonMapper json) {
        this.users = users;
        this.json = json;
    }

    /** What the create form shows again after a mistake, and the mistake by its field. */
    public record CreateForm(String username, String displayName, String field, String error) {
        static CreateForm blank() {
            return new CreateForm("", "", null, null);
        }
    }

    @GetMapping(ConsolePaths.USERS)
    public String list(@RequestParam(name = "changed", required = false) String changed,
                       @RequestParam(name = "after", required = false) String after, Authentication who,
                       Model model, HttpServletResponse response) {
        if (changed != null) {
            model.addAttribute("notice", "The user was changed.");
        }
        return page(Caller.of(who), CreateForm.blank(), PageErrors.blankToNull(after), model, response);
    }

    @PostMapping(ConsolePaths.USERS)
    public String create(@RequestParam(name = "username", defaultValue = "") String username,
                         @RequestParam(name = "password", defaultValue = "") String password,
                         @RequestParam(name = "displayName", defaultValue = "") String displayName,
                         Authentication who, Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!mayManage(caller)) {
            return page(caller, CreateForm.blank(), model, response);
        }
        ObjectNode body = json.createObjectNode().put("username", username).put("password", password);
        if (!displayName.isBlank()) {
            body.put("displayName", displayName);
        }
        try {
            User created = users.create(body);
            response.setStatus(HttpServletResponse.SC_CREATED);
            model.addAttribute("notice", "The user " + created.username() + " was created.");
            return page(caller, CreateForm.blank(), model, response);
        } catch (RuntimeException e) {
            if (!(e instanceof ApiProblem problem)) {
                throw e;
            }
            response.setStatus(problem.problemType().status().value());
            return page(caller, new CreateForm(username, displayName, problem.problemField(), e.getMessage()), model,
                    response);
        }
    }

    /** Enables, disables, promotes or demotes, then goes back to the list by a redirect. */
    @PostMapping(ConsolePaths.USERS + "/{id}/{change}")
    public String change(@PathVariable String id, @PathVariable String change, Authentication who, Model model,
                         HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!mayManage(caller)) {
            return page(caller, CreateForm.blank(), model, response);
        }
        Map<String, Boolean> fields = CHANGES.get(change);
        try {
            if (fields == null || users.update(UUID.fromString(id), json.valueToTree(fields)).isEmpty()) {
                response.setStatus(HttpServletResponse.SC_NOT_FOUND);
                model.addAttribute("error", "No user has this id.");
                return page(caller, CreateForm.blank(), model, response);
            }
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return page(caller, CreateForm.blank(), model, response);
        }
        return "redirect:" + ConsolePaths.USERS + "?changed";
    }

    private String page(Caller caller, CreateForm form, Model model, HttpServletResponse response) {
        return page(caller, form, null, model, response);
    }

    /** The users page from {@code after} (a cursor a page returned, or null for the first). */
    private String page(Caller caller, CreateForm form, String after, Model model, HttpServletResponse response) {
        model.addAttribute("active", "users");
        model.addAttribute("form", form);
        if (!mayManage(caller)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("error", "Users are managed by platform administrators: it needs the admin scope.");
            model.addAttribute("users", java.util.List.of());
            return VIEW;
        }
        UserDirectory.UserPage page;
        try {
            page = users.list(after, OverviewPage.PAGE_SIZE);
        } catch (RuntimeException e) {
            // A stale or edited link: say so, and show the first page.
            PageErrors.show(e, model, response);
            page = users.list(null, OverviewPage.PAGE_SIZE);
        }
        model.addAttribute("users", page.items());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("paged", after != null);
        return VIEW;
    }

    private static boolean mayManage(Caller caller) {
        return caller.scopes().contains(Scope.ADMIN);
    }
}
