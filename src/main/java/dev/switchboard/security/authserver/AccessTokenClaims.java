package dev.switchboard.security.authserver;

import java.util.List;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The claims of an access token: {@code aud} is the {@code resource} the client asked for (RFC 8707), or the
 * gateway's base URL when it asked for none; {@code client_id} names the client, and {@code scope} is the
 * space-separated string RFC 9068 describes.
 */
final class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        List<String> audience = List.of();
        OAuth2Authorization authorization = context.getAuthorization();
        if (authorization != null) {
            OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
            if (request != null) {
                audience = AuthorizationRequestRules.resources(request.getAdditionalParameters());
            }
        }
        if (audience.isEmpty()) {
            audience = List.of(context.getAuthorizationServerContext().getIssuer());
        }
        context.getClaims().audience(audience);
        context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
        context.getClaims().claim("scope", String.join(" ", context.getAuthorizedScopes()));
    }
}
