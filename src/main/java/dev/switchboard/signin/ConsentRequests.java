package dev.switchboard.signin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import dev.switchboard.catalog.CatalogCache;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.security.Scope;
import dev.switchboard.security.authserver.ClientMetadataDocuments;
import dev.switchboard.security.authserver.MetadataDocumentClients;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Service;

/**
 * Reads a pending authorization request (found by its state) into what the consent page shows: the client, the
 * endpoints by name (a virtual server's name from the catalog) and the scopes in plain words.
 */
@Service
// Only beside the built-in authorization server, whose chain these pages serve.
@ConditionalOnBooleanProperty(name = "switchboard.auth-server.enabled", matchIfMissing = true)
public class ConsentRequests {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    private static final Pattern SERVER_ENDPOINT = Pattern.compile("/servers/([0-9a-fA-F-]{36})/(mcp|sse)");
    private static final Map<String, String> OTHER_SCOPES = Map.of(
            "offline_access", "Stay connected: renew its access without asking you again, until you revoke it.",
            "openid", "Learn your user name on this gateway.");

    private final MetadataDocumentClients clients;
    private final OAuth2AuthorizationService authorizations;
    private final CatalogCache catalog;

    public ConsentRequests(MetadataDocumentClients clients, OAuth2AuthorizationService authorizations,
                           CatalogCache catalog) {
        this.clients = clients;
        this.authorizations = authorizations;
        this.catalog = catalog;
    }

    /** The pending request of {@code clientId} with {@code state}, made by {@code user}; empty if there is none. */
    public Optional<ConsentRequest> find(String clientId, String state, Authentication user) {
        if (clientId == null || state == null) {
            return Optional.empty();
        }
        OAuth2Authorization pending = authorizations.findByToken(state, STATE);
        RegisteredClient client = clients.findByClientId(clientId);
        if (pending == null || client == null || !pending.getRegisteredClientId().equals(client.getId())
                || !pending.getPrincipalName().equals(user.getName())) {
            return Optional.empty();
        }
        OAuth2AuthorizationRequest request = pending.getAttribute(OAuth2AuthorizationRequest.class.getName());
        if (request == null) {
            return Optional.empty();
        }
        List<String> scopes = List.copyOf(request.getScopes());
        List<ConsentRequest.ShownScope> shown = scopes.stream().map(s -> new ConsentRequest.ShownScope(s,
                describe(s))).toList();
        String publisher = ClientMetadataDocuments.isDocumentUrl(clientId) ? URI.create(clientId).getHost() : null;
        String base = request.getAuthorizationUri() == null ? ""
                : request.getAuthorizationUri().replaceFirst("/oauth2/authorize$", "");
        List<ConsentRequest.Endpoint> endpoints = resources(request).stream().map(r -> endpoint(r, base)).toList();
        if (endpoints.isEmpty()) {
            endpoints = List.of(new ConsentRequest.Endpoint("Every MCP endpoint of this gateway", base));
        }
        String name = client.getClientName() == null || client.getClientName().equals(client.getId())
                ? client.getClientId() : client.getClientName();
        return Optional.of(new ConsentRequest(clientId, name, publisher, state, endpoints, scopes, shown,
                displayName(user)));
    }

    private static String describe(String scope) {
        Optional<Scope> known = Scope.parse(scope);
        if (known.isPresent()) {
            return known.get().description();
        }
        return OTHER_SCOPES.getOrDefault(scope, "A permission this gateway does not describe.");
    }

    private static List<String> resources(OAuth2AuthorizationRequest request) {
        Object value = request.getAdditionalParameters().get("resource");
        if (value instanceof String one) {
            return List.of(one);
        }
        if (value instanceof String[] many) {
            return Arrays.asList(many);
        }
        if (value instanceof List<?> many) {
            return many.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    /** A resource URI named: a virtual server by its catalog name, or what a gateway-wide URI stands for. */
    private ConsentRequest.Endpoint endpoint(String resource, String base) {
        String path = resource.startsWith(base) ? resource.substring(base.length()) : null;
        if (path != null) {
            Matcher server = SERVER_ENDPOINT.matcher(path);
            if (server.matches()) {
                String name;
                try {
                    name = catalog.current().server(UUID.fromString(server.group(1)))
                            .map(VirtualServer::name).map(n -> "Virtual server “" + n + "”")
                            .orElse("A virtual server that does not exist (any more)");
                } catch (RuntimeException e) {
                    name = "A virtual server (the catalog cannot be read right now)";
                }
                return new ConsentRequest.Endpoint(name, resource);
            }
            if (path.equals("/mcp") || path.equals("/sse")) {
                return new ConsentRequest.Endpoint("The whole catalog (every enabled tool, resource and prompt)",
                        resource);
            }
            if (path.isEmpty()) {
                return new ConsentRequest.Endpoint("Every MCP endpoint of this gateway", resource);
            }
        }
        return new ConsentRequest.Endpoint(resource, resource);
    }

    private static String displayName(Authentication user) {
        if (user.getPrincipal() instanceof OidcSignIn.ProviderUser provider) {
            return provider.displayName();
        }
        return user.getName();
    }

    /** Every scope the built-in server may grant, for the docs and tests. */
    static List<String> knownScopes() {
        List<String> all = new ArrayList<>(Arrays.stream(Scope.values()).map(Scope::value).toList());
        all.addAll(OTHER_SCOPES.keySet());
        return all;
    }
}
