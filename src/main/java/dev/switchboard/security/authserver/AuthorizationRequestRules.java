package dev.switchboard.security.authserver;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

/**
 * What an authorization request must carry beyond Spring's checks: a redirect URI registered exactly (a loopback
 * one included: Spring refuses {@code localhost}, which MCP clients use), a {@code state}, PKCE with S256 only, and
 * {@code resource} values (RFC 8707) that name this gateway: its base URL or one of its MCP endpoints. A refusal of
 * the redirect URI is never sent to that URI.
 */
final class AuthorizationRequestRules implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    /** The parameter RFC 8707 defines. */
    static final String RESOURCE = "resource";
    private static final Pattern SERVER_ENDPOINT = Pattern.compile("/servers/[^/?#]+/(mcp|sse)");

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        RegisteredClient client = context.getRegisteredClient();
        String redirectUri = request.getRedirectUri();
        if (redirectUri == null) {
            if (client.getRedirectUris().size() != 1) {
                refuse(OAuth2ErrorCodes.INVALID_REQUEST, "redirect_uri is required", request, null);
            }
            redirectUri = client.getRedirectUris().iterator().next();
        } else if (!client.getRedirectUris().contains(redirectUri)) {
            refuse(OAuth2ErrorCodes.INVALID_REQUEST, "redirect_uri is not registered for this client", request, null);
        }
        if (request.getState() == null || request.getState().isBlank()) {
            refuse(OAuth2ErrorCodes.INVALID_REQUEST, "state is required", request, redirectUri);
        }
        Map<String, Object> parameters = request.getAdditionalParameters();
        Object challenge = parameters.get("code_challenge");
        Object method = parameters.get("code_challenge_method");
        if (!(challenge instanceof String c) || c.isBlank()) {
            refuse(OAuth2ErrorCodes.INVALID_REQUEST, "code_challenge is required (PKCE)", request, redirectUri);
        }
        if (!"S256".equals(method)) {
            refuse(OAuth2ErrorCodes.INVALID_REQUEST, "code_challenge_method must be S256", request, redirectUri);
        }
        String base = AuthorizationServerContextHolder.getContext().getIssuer();
        for (String resource : resources(parameters)) {
            if (!namesThisGateway(resource, base)) {
                refuse("invalid_target", "resource must be this gateway's base URL or one of its MCP endpoints",
                        request, redirectUri);
            }
        }
    }

    /** The validator Spring runs, with its scope check and these rules instead of its redirect URI check. */
    static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator() {
        return new AuthorizationRequestRules()
                .andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR);
    }

    /** The {@code resource} values of a request's parameters: none, one or several. */
    static List<String> resources(Map<String, Object> parameters) {
        Object value = parameters == null ? null : parameters.get(RESOURCE);
        if (value instanceof String one) {
            return List.of(one);
        }
        if (value instanceof String[] many) {
            return List.of(many);
        }
        return List.of();
    }

    static boolean namesThisGateway(String resource, String base) {
        if (resource.equals(base)) {
            return true;
        }
        if (!resource.startsWith(base + "/")) {
            return false;
        }
        String path = resource.substring(base.length());
        return path.equals("/mcp") || path.equals("/sse") || SERVER_ENDPOINT.matcher(path).matches();
    }

    private static void refuse(String code, String description, OAuth2AuthorizationCodeRequestAuthenticationToken request,
                               String redirectUri) {
        // Without a redirect URI, the error handler answers the browser itself rather than redirecting.
        OAuth2AuthorizationCodeRequestAuthenticationToken result = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), (org.springframework.security.core.Authentication)
                request.getPrincipal(), redirectUri, request.getState(), request.getScopes(),
                request.getAdditionalParameters());
        throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, null),
                redirectUri == null ? null : result);
    }
}
