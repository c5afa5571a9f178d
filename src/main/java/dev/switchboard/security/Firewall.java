package dev.switchboard.security;

import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall, with {@link FirewallText} for every name and value it checks (parameter values
 * may hold line breaks, as a form's text area sends them), and with the
 * query string read whole ({@link QueryText}) before authentication. What it refuses is bad input, answered as
 * problem+json: 405 for a method no route takes, 400 {@code malformed-request} for everything else.
 */
final class Firewall extends StrictHttpFirewall implements RequestRejectedHandler {

    /** Every method some route takes; anything else (TRACE, CONNECT, made-up ones) is refused. */
    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    Firewall() {
        setAllowedHttpMethods(Set.copyOf(METHODS));
        setAllowedHeaderNames(FirewallText.RULE);
        setAllowedHeaderValues(FirewallText.RULE);
        setAllowedParameterNames(FirewallText.RULE);
        setAllowedParameterValues(FirewallText.FORM_VALUES);
    }

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) throws RequestRejectedException {
        FirewalledRequest checked = super.getFirewalledRequest(request);
        String query = request.getQueryString();
        String fault = query == null ? null : QueryText.fault(query);
        if (fault != null) {
            throw new MalformedQuery(fault);
        }
        return checked;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (!METHODS.contains(request.getMethod())) {
            response.setHeader(HttpHeaders.ALLOW, String.join(", ", METHODS));
            Problems.write(response, Problems.of(ProblemType.METHOD_NOT_ALLOWED,
                    "The method is not allowed: this gateway takes " + String.join(", ", METHODS)));
            return;
        }
        Problems.write(response, Problems.of(ProblemType.MALFORMED_REQUEST, "The request is not allowed: "
                + (rejected instanceof MalformedQuery ? rejected.getMessage() : reason(rejected))));
    }

    /** What Spring Security refused, in a few words; its own message quotes the input. */
    private static String reason(RequestRejectedException rejected) {
        String message = String.valueOf(rejected.getMessage());
        if (message.contains("header")) {
            return "a header name or value holds a control character or an unassigned code point";
        }
        if (message.contains("parameter")) {
            return "a parameter name or value holds a control character or an unassigned code point";
        }
        return "the URL contains an encoded or ambiguous path (encoded slashes, '..', ';', '%' or a control "
                + "character)";
    }

    /** A query string {@link QueryText} refuses. */
    private static final class MalformedQuery extends RequestRejectedException {
        MalformedQuery(String message) {
            super(message);
        }
    }
}
