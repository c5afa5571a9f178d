package dev.switchboard.signin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The "Sign in with &lt;provider&gt;" button's target: sends the browser on to Spring Security's authorization request
 * for the provider once its discovery has succeeded, or back to the login page saying the provider cannot be
 * reached (Spring's own redirect filter would answer a failed discovery with a bare 500).
 */
@Controller
// Only beside the built-in authorization server, whose chain these pages serve.
@ConditionalOnBooleanProperty(name = "switchboard.auth-server.enabled", matchIfMissing = true)
public class ProviderSignInPage {

    private final OidcSignIn provider;

    ProviderSignInPage(OidcSignIn provider) {
        this.provider = provider;
    }

    @GetMapping("/login/oidc")
    public String signIn() {
        if (provider.registration() == null) {
            return "redirect:/login?provider_error";
        }
        return "redirect:/oauth2/authorization/" + OidcSignIn.REGISTRATION_ID;
    }
}
