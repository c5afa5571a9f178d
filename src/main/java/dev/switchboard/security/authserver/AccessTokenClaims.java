package dev.switchboard.security.authserver;

import dev.switchboard.security.DisabledUserException;
import dev.switchboard.security.Scope;
import dev.switchboard.security.UserRights;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The claims of an access token: {@code aud} is the {@code resource} the client asked for (RFC 8707), or the
 * gateway's base URL when it asked for none; {@code client_id} names the client, and {@code scope} is the
 * space-separated string RFC 9068 describes, holding only the gateway's scopes the user holds now: a user who is no
 * platform administrator cannot consent their way to the admin scope, and a disabled or deleted user's refresh is
 * refused. An ID token carries the user's teams as {@code groups}.
 */
final class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final UserRights rights;

    AccessTokenClaims(UserRights rights) {
        this.rights = rights;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            // Who the user is with: a gateway that signs in here maps these to its own teams.
            context.getClaims().claim("groups", rights.teamsOf(context.getPrincipal().getName()));
            return;
        }
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
        Optional<Set<Scope>> held;
        try {
            held = rights.scopesOf(context.getPrincipal().getName());
        } catch (DisabledUserException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, e.getMessage(),
                    null));
        }
        if (held.isEmpty()) {
            // Everyone who signs in here is a user or the administrator: no user of this name means it was deleted.
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "The user " + context.getPrincipal().getName() + " no longer exists", null));
        }
        List<String> scopes = context.getAuthorizedScopes().stream()
                .filter(s -> Scope.parse(s).map(held.get()::contains).orElse(true)).toList();
        context.getClaims().claim("scope", String.join(" ", scopes));
    }
}
