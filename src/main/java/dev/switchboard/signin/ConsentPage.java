package dev.switchboard.signin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The consent page of the built-in authorization server: names the client, the endpoints it asks for and the
 * scopes. Approving posts the scopes back to the authorization endpoint; denying posts none, which Spring answers
 * with {@code access_denied} at the client's redirect URI (RFC 6749, 4.1.2.1). Both forms carry the CSRF token.
 */
@Controller
// Only beside the built-in authorization server, whose chain these pages serve.
@ConditionalOnBooleanProperty(name = "switchboard.auth-server.enabled", matchIfMissing = true)
public class ConsentPage {

    private final ConsentRequests requests;

    public ConsentPage(ConsentRequests requests) {
        this.requests = requests;
    }

    @GetMapping("/oauth2/consent")
    public String consent(@RequestParam(name = "client_id", required = false) String clientId,
                          @RequestParam(name = "state", required = false) String state,
                          Authentication user, Model model, HttpServletResponse response) {
        Optional<ConsentRequest> request = requests.find(clientId, state, user);
        if (request.isEmpty()) {
            // Expired, already answered, someone else's, or forged: nothing to approve.
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return "signin/consent-missing";
        }
        model.addAttribute("request", request.get());
        return "signin/consent";
    }
}
