package dev.switchboard.security.authserver;

import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Refresh tokens for public clients, which most MCP clients are (they register with
 * {@code token_endpoint_auth_method: none}). OAuth 2.1 (section 4.3.1) allows them when refresh tokens are rotated,
 * as ours are; Spring's server gives them only DPoP-bound ones, and authenticates a public client only for the code
 * exchange. These three pieces add the rest: the token, and the client's identification on the refresh grant and on
 * revocation, by its {@code client_id} alone, as a public client has nothing else to show.
 */
final class PublicClientRefresh {

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Marks the requests this converter read, so that the provider vouches for nothing else: above all not for a code
     * exchange whose PKCE check Spring's own public-client provider has just failed.
     */
    private static final String MARK = PublicClientRefresh.class.getName();

    private PublicClientRefresh() {
    }

    /** Issues a rotated refresh token to any client allowed the refresh_token grant, public ones included. */
    static OAuth2TokenGenerator<OAuth2RefreshToken> tokens() {
        return context -> {
            if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())
                    || !allowsRefresh(context)) {
                return null;
            }
            byte[] bytes = new byte[48];
            RANDOM.nextBytes(bytes);
            Instant now = Instant.now();
            return new OAuth2RefreshToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), now,
                    now.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive()));
        };
    }

    private static boolean allowsRefresh(OAuth2TokenContext context) {
        return context.getRegisteredClient().getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN);
    }

    /**
     * Reads a public client's refresh or revocation request: a {@code client_id} with no secret and no Authorization
     * header. Anything else is left to Spring's own converters.
     */
    static AuthenticationConverter converter() {
        return request -> {
            String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
            if (clientId == null || clientId.isBlank() || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                    || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
                    || request.getParameterValues(OAuth2ParameterNames.CLIENT_ID).length != 1
                    || !(refreshGrant(request) || revocation(request))) {
                return null;
            }
            return new OAuth2ClientAuthenticationToken(clientId, ClientAuthenticationMethod.NONE, null,
                    Map.of(MARK, true));
        };
    }

    private static boolean refreshGrant(HttpServletRequest request) {
        return AuthorizationGrantType.REFRESH_TOKEN.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE));
    }

    private static boolean revocation(HttpServletRequest request) {
        return request.getRequestURI().endsWith("/oauth2/revoke")
                && request.getParameter(OAuth2ParameterNames.TOKEN) != null;
    }

    /**
     * Accepts such a request for a client registered as public ({@code none}); the refresh token itself, bound to
     * that client and rotated at each use, is what the grant then checks.
     */
    static AuthenticationProvider provider(RegisteredClientRepository clients) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                OAuth2ClientAuthenticationToken presented = (OAuth2ClientAuthenticationToken) authentication;
                if (!ClientAuthenticationMethod.NONE.equals(presented.getClientAuthenticationMethod())
                        || presented.getCredentials() != null
                        || !Boolean.TRUE.equals(presented.getAdditionalParameters().get(MARK))) {
                    return null;
                }
                RegisteredClient client = clients.findByClientId((String) presented.getPrincipal());
                if (client == null
                        || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
                    throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
                }
                return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
    }
}
