package dev.switchboard.security;

import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers requests that security stops, as problem+json: 401 with the challenges a client may answer, 403
 * naming the scope that was missing, 503 when a credential could not be checked at all.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String REALM = "switchboard";
    private static final int MAX_DETAIL = 300;

    private final boolean basicEnabled;
    private final PublicUrl publicUrl;
    private final AuthorizationServers servers;

    SecurityProblems(boolean basicEnabled, PublicUrl publicUrl, AuthorizationServers servers) {
        this.basicEnabled = basicEnabled;
        this.publicUrl = publicUrl;
        this.servers = servers;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (failure instanceof AuthenticationUnavailableException unavailable) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(unavailable.retryAfter().toSeconds()));
            Problems.write(response, Problems.of(unavailable.problemType(), unavailable.problemDetail()));
            return;
        }
        boolean badBearer = failure instanceof OAuth2AuthenticationException;
        Resource resource = resource(request);
        if (resource != null) {
            // The MCP authorization spec's challenge: where to learn which authorization server to ask (RFC 9728).
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer resource_metadata=\"" + resource.metadata()
                    + "\", scope=\"" + servers.challengeScope(resource.uri()) + "\""
                    + (badBearer ? ", error=\"invalid_token\"" : ""));
        } else {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\""
                    + (badBearer ? ", error=\"invalid_token\"" : ""));
        }
        if (basicEnabled) {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        String detail = failure instanceof InsufficientAuthenticationException || failure == null
                ? "This request needs credentials: a bearer token (an API token or a JWT)"
                        + (basicEnabled ? " or the administrator's HTTP Basic login" : "")
                : oneLine(failure.getMessage());
        Problems.write(response, Problems.of(ProblemType.UNAUTHORIZED, detail));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (denied instanceof AuthorizationDeniedException d
                && d.getAuthorizationResult() instanceof ServerNarrowing.Refused refused) {
            ProblemDetail problem = Problems.of(ProblemType.FORBIDDEN, "This API token reaches only the MCP "
                    + "endpoints of the virtual servers " + refused.servers());
            problem.setProperty("servers", refused.servers());
            Problems.write(response, problem);
            return;
        }
        if (denied instanceof AuthorizationDeniedException d
                && d.getAuthorizationResult() instanceof ServerNarrowing.WholeCatalogRefused) {
            Problems.write(response, Problems.of(ProblemType.FORBIDDEN, "The whole catalog (/mcp, /sse) is for "
                    + "platform administrators; connect to a virtual server at /servers/{id}/mcp"));
            return;
        }
        List<String> scopes = requiredScopes(denied);
        Resource resource = resource(request);
        if (resource != null && scopes.contains(Scope.MCP.value())) {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\""
                    + servers.challengeScope(resource.uri()) + "\", resource_metadata=\"" + resource.metadata() + "\"");
        } else if (!scopes.isEmpty()) {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM
                    + "\", error=\"insufficient_scope\", scope=\"" + String.join(" ", scopes) + "\"");
        }
        Problems.write(response, forbidden(scopes));
    }

    /** An MCP endpoint as a resource: its canonical URI and where its metadata is. */
    private record Resource(String uri, String metadata) {
    }

    /**
     * The MCP endpoint {@code request} is for; null off the MCP endpoints, or when the gateway does not know its
     * public URL for this request.
     */
    private Resource resource(HttpServletRequest request) {
        Optional<String> endpoint = McpResources.of(request);
        if (endpoint.isEmpty()) {
            return null;
        }
        return publicUrl.baseFor(request).map(base -> new Resource(PublicUrl.join(base, endpoint.get()),
                PublicUrl.join(base, McpResources.METADATA_PATH + endpoint.get()))).orElse(null);
    }

    /** A 403 naming the scopes the caller lacks; used by controllers too, so every 403 looks the same. */
    static ProblemDetail forbidden(List<String> missingScopes) {
        if (missingScopes.isEmpty()) {
            return Problems.of(ProblemType.FORBIDDEN, "The credentials may not do this");
        }
        ProblemDetail problem = Problems.of(ProblemType.FORBIDDEN, (missingScopes.size() == 1
                ? "This needs the scope '" + missingScopes.getFirst() + "'"
                : "This needs the scopes '" + String.join("', '", missingScopes) + "'")
                + ", which the credentials do not hold");
        problem.setProperty("scopes", missingScopes);
        return problem;
    }

    /** The scopes the failed rule asked for, read from the authorization decision. */
    private static List<String> requiredScopes(AccessDeniedException denied) {
        if (denied instanceof AuthorizationDeniedException d
                && d.getAuthorizationResult() instanceof AuthorityAuthorizationDecision decision) {
            Collection<GrantedAuthority> authorities = decision.getAuthorities();
            return authorities.stream().map(GrantedAuthority::getAuthority)
                    .filter(a -> a != null && a.startsWith("SCOPE_")).map(a -> a.substring("SCOPE_".length()))
                    .toList();
        }
        return List.of();
    }

    private static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return ProblemType.UNAUTHORIZED.title();
        }
        String line = text.replaceAll("\\s*\\R\\s*", " ").trim();
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "...";
    }
}
