package dev.switchboard.security.authserver;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The authorization endpoint's answers, with {@code iss} (RFC 9207) in every redirect back to the client, so that a
 * client talking to several servers can tell which one answered. An error with no redirect URI that may be trusted
 * is answered here, as OAuth error JSON, and never redirected.
 */
final class AuthorizationResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuthorizationResponses() {
    }

    static AuthenticationSuccessHandler success() {
        return (request, response, authentication) -> {
            OAuth2AuthorizationCodeRequestAuthenticationToken result =
                    (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("code", result.getAuthorizationCode().getTokenValue());
            if (result.getState() != null) {
                parameters.put("state", result.getState());
            }
            redirect(response, result.getRedirectUri(), parameters);
        };
    }

    static AuthenticationFailureHandler failure() {
        return (request, response, exception) -> {
            OAuth2Error error = errorOf(exception);
            OAuth2AuthorizationCodeRequestAuthenticationToken token =
                    exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException e
                            ? e.getAuthorizationCodeRequestAuthentication() : null;
            if (token == null || token.getRedirectUri() == null || token.getRedirectUri().isBlank()) {
                writeError(response, HttpServletResponse.SC_BAD_REQUEST, error);
                return;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("error", error.getErrorCode());
            if (error.getDescription() != null) {
                parameters.put("error_description", error.getDescription());
            }
            if (token.getState() != null) {
                parameters.put("state", token.getState());
            }
            redirect(response, token.getRedirectUri(), parameters);
        };
    }

    private static OAuth2Error errorOf(AuthenticationException exception) {
        if (exception instanceof OAuth2AuthenticationException oauth) {
            return oauth.getError();
        }
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, "The authorization request is not valid", null);
    }

    private static void redirect(HttpServletResponse response, String redirectUri, Map<String, String> parameters)
            throws IOException {
        parameters.put("iss", AuthorizationServerContextHolder.getContext().getIssuer());
        UriComponentsBuilder builder = UriComponentsBuilder.fromUriString(redirectUri);
        Map<String, String> values = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            builder.queryParam(name, "{" + name + "}");
            values.put(name, value);
        });
        response.sendRedirect(builder.encode().buildAndExpand(values).toUriString());
    }

    /** An OAuth error (RFC 6749, section 5.2) as JSON. */
    static void writeError(HttpServletResponse response, int status, OAuth2Error error) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.getErrorCode());
        if (error.getDescription() != null) {
            body.put("error_description", error.getDescription());
        }
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }
}
