package dev.switchboard.console;

import dev.switchboard.persistence.KeysetPosition;
import dev.switchboard.security.ApiToken;
import dev.switchboard.security.ApiTokenService;
import dev.switchboard.security.Caller;
import dev.switchboard.security.InvalidTokenRequestException;
import dev.switchboard.security.IssuedApiToken;
import dev.switchboard.security.Scope;
import dev.switchboard.security.ScopeEscalationException;
import dev.switchboard.security.TokenNameTakenException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console's API tokens: the caller's own (an administrator sees everyone's), issued with the same rules as
 * POST /v1/tokens (a token can do at most what its issuer can), its secret shown once on the page that issues it,
 * and revoked. Issuing and revoking need the tokens:manage scope; without it the forms are not shown and a forged
 * post is refused.
 */
@Controller
public class TokensPage {

    private static final String VIEW = "console/tokens";
    /** Tokens to a page: an administrator sees everyone's, which can be many. */
    static final int PAGE_SIZE = 50;
    private final ApiTokenService tokens;
    private final JsonMapper json;

    public TokensPage(ApiTokenService tokens, JsonMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    /** A token as the page lists it; {@code state} is active, expired or revoked. */
    public record TokenRow(UUID id, String name, String subject, String scopes, Instant expiresAt,
                           Instant lastUsedAt, String state) {
    }

    /** What the issue form shows again after a mistake, and the mistake by its field. */
    public record IssueForm(String name, Set<String> scopes, String expiresInDays, String field, String error) {

        static IssueForm blank() {
            return new IssueForm("", Set.of(Scope.MCP.value()), "30", null, null);
        }
    }

    @GetMapping(ConsolePaths.TOKENS)
    public String list(@RequestParam(name = "revoked", required = false) String revoked,
                       @RequestParam(name = "after", required = false) String after, Authentication who,
                       Model model, HttpServletResponse response) {
        if (revoked != null) {
            model.addAttribute("notice", "The token was revoked.");
        }
        KeysetPosition position = null;
        if (after != null) {
            position = KeysetPosition.of(after).orElse(null);
            if (position == null) {
                response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                model.addAttribute("error", "This address names no place in the list of tokens: the first page "
                        + "is shown.");
            }
        }
        return page(Caller.of(who), IssueForm.blank(), position, model);
    }

    @PostMapping(ConsolePaths.TOKENS)
    public String issue(@RequestParam(name = "name", defaultValue = "") String name,
                        @RequestParam(name = "scopes", required = false) List<String> scopes,
                        @RequestParam(name = "expiresInDays", defaultValue = "") String expiresInDays,
                        Authentication who, Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!mayManage(caller)) {
            return forbidden(caller, model, response);
        }
        Set<String> asked = scopes == null ? Set.of() : Set.copyOf(scopes);
        ObjectNode body = json.createObjectNode().put("name", name);
        ArrayNode askedScopes = body.putArray("scopes");
        asked.forEach(askedScopes::add);
        try {
            body.put("expiresInDays", Integer.parseInt(expiresInDays.strip()));
        } catch (NumberFormatException e) {
            return refused(caller, new IssueForm(name, asked, expiresInDays, "expiresInDays",
                    "Days until it expires must be a whole number."), model, response);
        }
        IssuedApiToken issued;
        try {
            issued = tokens.issue(caller, body);
        } catch (InvalidTokenRequestException e) {
            return refused(caller, new IssueForm(name, asked, expiresInDays, e.field(), e.getMessage()), model,
                    response);
        } catch (ScopeEscalationException e) {
            return refused(caller, new IssueForm(name, asked, expiresInDays, "scopes", "You cannot give a token "
                    + "scopes you do not hold: " + String.join(", ", e.missing()) + "."), model, response);
        } catch (TokenNameTakenException e) {
            return refused(caller, new IssueForm(name, asked, expiresInDays, "name", e.getMessage()), model,
                    response);
        }
        response.setStatus(HttpServletResponse.SC_CREATED);
        model.addAttribute("issued", issued.token());
        model.addAttribute("secret", issued.secret());
        return page(caller, IssueForm.blank(), model);
    }

    /** Revokes and goes back to the list by a redirect, so that reloading the list does not post again. */
    @PostMapping(ConsolePaths.TOKENS + "/{id}/revoke")
    public String revoke(@PathVariable String id, Authentication who, Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!mayManage(caller)) {
            return forbidden(caller, model, response);
        }
        boolean revoked;
        try {
            revoked = tokens.revoke(caller, UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            revoked = false;
        }
        if (!revoked) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            model.addAttribute("error", "No API token of yours has this id.");
            return page(caller, IssueForm.blank(), model);
        }
        return "redirect:" + ConsolePaths.TOKENS + "?revoked";
    }

    private String refused(Caller caller, IssueForm form, Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.UNPROCESSABLE_ENTITY.value());
        return page(caller, form, model);
    }

    private String page(Caller caller, IssueForm form, Model model) {
        return page(caller, form, null, model);
    }

    /** The page with the tokens after {@code after} (from the first when null), {@link #PAGE_SIZE} of them. */
    private String page(Caller caller, IssueForm form, KeysetPosition after, Model model) {
        Instant now = Instant.now();
        ApiTokenService.TokenPage page = tokens.list(caller, after, PAGE_SIZE);
        model.addAttribute("tokens", page.items().stream().map(t -> row(t, now)).toList());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("paged", after != null);
        model.addAttribute("form", form);
        model.addAttribute("canManage", mayManage(caller));
        // A token can carry only scopes its issuer holds, so only those are offered.
        model.addAttribute("scopes", Arrays.stream(Scope.values()).filter(caller.scopes()::contains).toList());
        model.addAttribute("active", "tokens");
        return VIEW;
    }

    private static TokenRow row(ApiToken t, Instant now) {
        String state = t.revokedAt() != null ? "revoked" : t.usableAt(now) ? "active" : "expired";
        return new TokenRow(t.id(), t.name(), t.subject(),
                String.join(" ", t.scopes().stream().map(Scope::value).toList()), t.expiresAt(), t.lastUsedAt(),
                state);
    }

    private static boolean mayManage(Caller caller) {
        return caller.scopes().contains(Scope.TOKENS);
    }

    /** A post from someone the page shows no forms to: refused, and nothing changes. */
    private String forbidden(Caller caller, Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("error", "You may not issue or revoke API tokens: that needs the tokens:manage scope.");
        return page(caller, IssueForm.blank(), model);
    }
}
