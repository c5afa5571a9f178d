package dev.switchboard.signin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The built-in authorization server's sign-in page: the administrator's (and later local users') name and password,
 * and "Sign in with &lt;provider&gt;" when an OpenID Connect provider is configured. Spring Security's form login
 * takes the POST; this only renders the form and the outcome of the last attempt.
 */
@Controller
// Only beside the built-in authorization server, whose chain these pages serve.
@ConditionalOnBooleanProperty(name = "switchboard.auth-server.enabled", matchIfMissing = true)
public class LoginPage {

    private final SignInOptions options;

    public LoginPage(SignInOptions options) {
        this.options = options;
    }

    @GetMapping("/login")
    public String login(HttpServletRequest request, Model model) {
        // One message for a wrong name and a wrong password: the page must not tell which users exist.
        model.addAttribute("failed", request.getParameter("error") != null);
        model.addAttribute("providerFailed", request.getParameter("provider_error") != null);
        model.addAttribute("loggedOut", request.getParameter("logout") != null);
        model.addAttribute("passwordSignIn", options.passwordSignIn());
        model.addAttribute("provider", options.oidc().enabled() ? options.oidc().label() : null);
        return "signin/login";
    }
}
