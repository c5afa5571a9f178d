package dev.switchboard.console;

import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.catalog.NameTakenException;
import dev.switchboard.catalog.rest.ServerEndpoint;
import dev.switchboard.catalog.rest.ServerEndpoint.ServerView;
import dev.switchboard.problem.ApiProblem;
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
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A virtual server's settings: its name, description, the instructions its initialize result gives a client's model,
 * and whether it is enabled; and its deletion, once confirmed. Saved as one merge patch through ServerEndpoint,
 * guarded by the version the page showed, with the API's mistakes next to their fields.
 */
@Controller
public class ServerSettingsPage {

    private static final String PAGE = "console/server-settings";
    private final ServerEndpoint servers;
    private final CatalogWriters writers;
    private final JsonMapper json;

    public ServerSettingsPage(ServerEndpoint servers, CatalogWriters writers, JsonMapper json) {
        this.servers = servers;
        this.writers = writers;
        this.json = json;
    }

    /** What the form shows: the server's values, or those a refused save sent. */
    public record Form(String name, String description, String instructions, boolean enabled) {

        static Form of(ServerView server) {
            return new Form(server.name(), server.description() == null ? "" : server.description(),
                    server.instructions() == null ? "" : server.instructions(), server.enabled());
        }
    }

    @GetMapping(ConsolePaths.SERVERS + "/{id}/settings")
    public String page(@PathVariable String id, Authentication who, Model model, HttpServletResponse response) {
        ServerView server = server(id, model, response);
        return server == null ? PAGE : page(Caller.of(who), server, Form.of(server), model);
    }

    @PostMapping(ConsolePaths.SERVERS + "/{id}/settings")
    public String save(@PathVariable String id, @RequestParam(name = "name", defaultValue = "") String name,
                       @RequestParam(name = "description", defaultValue = "") String description,
                       @RequestParam(name = "instructions", defaultValue = "") String instructions,
                       @RequestParam(name = "enabled", defaultValue = "false") boolean enabled,
                       @RequestParam(name = "version", defaultValue = "-1") long version, Authentication who,
                       Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        ServerView server = server(id, model, response);
        if (server == null) {
            return PAGE;
        }
        Form sent = new Form(name, description, instructions, enabled);
        if (!writers.mayWrite(caller)) {
            return refused(caller, server, sent, model, response);
        }
        ObjectNode patch = json.createObjectNode();
        patch.put("name", name.strip());
        patch.put("description", PageErrors.blankToNull(description.strip()));
        patch.put("instructions", PageErrors.blankToNull(instructions.strip()));
        patch.put("enabled", enabled);
        try {
            servers.patch(server.id(), "\"" + version + "\"", patch);
        } catch (RuntimeException e) {
            if (!(e instanceof ApiProblem problem)) {
                throw e;
            }
            response.setStatus(problem.problemType().status().value());
            String field = e instanceof InvalidEntryException invalid ? invalid.field()
                    : e instanceof NameTakenException taken ? taken.field() : null;
            if (field != null && isFormField(field)) {
                model.addAttribute("field", field);
                model.addAttribute("fieldError", problem.problemDetail());
            } else {
                model.addAttribute("error", problem.problemDetail());
            }
            return page(caller, server, sent, model);
        }
        redirect.addFlashAttribute("notice", "Saved the settings of " + name.strip() + ".");
        return "redirect:" + ConsolePaths.SERVERS + "/" + id + "/settings";
    }

    @PostMapping(ConsolePaths.SERVERS + "/{id}/delete")
    public String delete(@PathVariable String id, @RequestParam(name = "confirm", defaultValue = "") String confirm,
                         @RequestParam(name = "version", defaultValue = "-1") long version, Authentication who,
                         Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Caller caller = Caller.of(who);
        ServerView server = server(id, model, response);
        if (server == null) {
            return PAGE;
        }
        if (!writers.mayWrite(caller)) {
            return refused(caller, server, Form.of(server), model, response);
        }
        if (!"yes".equals(confirm)) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("field", "confirm");
            model.addAttribute("fieldError", "Tick the box to confirm that " + server.name() + " is to be deleted.");
            return page(caller, server, Form.of(server), model);
        }
        try {
            servers.delete(server.id(), "\"" + version + "\"");
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return page(caller, server, Form.of(server), model);
        }
        redirect.addFlashAttribute("notice", "Deleted " + server.name() + ".");
        return "redirect:" + ConsolePaths.SERVERS;
    }

    /** The server the address names, or null with the reason shown. */
    private ServerView server(String id, Model model, HttpServletResponse response) {
        try {
            return servers.get(UUID.fromString(id)).getBody();
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            model.addAttribute("active", "servers");
            return null;
        }
    }

    private static boolean isFormField(String field) {
        return field.equals("name") || field.equals("description") || field.equals("instructions");
    }

    private String refused(Caller caller, ServerView server, Form form, Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("error", CatalogWriters.SERVERS_REFUSED);
        return page(caller, server, form, model);
    }

    private String page(Caller caller, ServerView server, Form form, Model model) {
        model.addAttribute("server", server);
        model.addAttribute("form", form);
        model.addAttribute("canWrite", writers.mayWrite(caller));
        model.addAttribute("active", "servers");
        return PAGE;
    }
}
