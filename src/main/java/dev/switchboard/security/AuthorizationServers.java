package dev.switchboard.security;

import dev.switchboard.settings.InvalidSettingException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The authorization servers whose access tokens the MCP endpoints accept: the built-in one (its issuer is the
 * gateway's base URL; on unless SWITCHBOARD_AUTH_SERVER_ENABLED=false) and the external one named by
 * SWITCHBOARD_OAUTH_ISSUER. Protected resource metadata and 401 challenges point clients at them.
 */
@Component
public class AuthorizationServers {

    /** The built-in server's switch; its settings class belongs to the authorization server itself. */
    static final String BUILT_IN_ENABLED = "switchboard.auth-server.enabled";
    private static final String RESOURCE_PLACEHOLDER = "{resource}";

    private final boolean builtIn;
    private final URI external;
    private final Set<String> extraAudiences;
    private final String externalScope;

    @Autowired
    public AuthorizationServers(OAuthProperties properties, Environment environment) {
        this(environment.getProperty(BUILT_IN_ENABLED, Boolean.class, true), properties);
    }

    AuthorizationServers(boolean builtIn, OAuthProperties properties) {
        this.builtIn = builtIn;
        this.external = issuer(properties.issuer());
        this.extraAudiences = new LinkedHashSet<>(Arrays.stream(properties.audience().split(","))
                .map(String::trim).filter(a -> !a.isEmpty()).toList());
        String scope = properties.scope() == null ? "" : properties.scope().trim();
        if (scope.isEmpty() || scope.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c > '~')) {
            throw new InvalidSettingException("SWITCHBOARD_OAUTH_SCOPE must be one OAuth scope (printable ASCII, no"
                    + " space, quote or backslash), such as mcp:use, api://<app-id>/mcp.use or {resource}/mcp.use");
        }
        this.externalScope = scope;
        if (external == null && !extraAudiences.isEmpty()) {
            throw new InvalidSettingException("SWITCHBOARD_OAUTH_AUDIENCE is set without SWITCHBOARD_OAUTH_ISSUER; it "
                    + "only applies to the external provider's tokens");
        }
    }

    /** True when the built-in authorization server issues tokens. */
    public boolean builtInEnabled() {
        return builtIn;
    }

    /** SWITCHBOARD_OAUTH_ISSUER exactly as set (compared as text with a token's {@code iss}), or empty. */
    public Optional<URI> external() {
        return Optional.ofNullable(external);
    }

    /** The issuers a client may get a token from for the gateway at {@code base}, the built-in one first. */
    public List<String> issuersFor(URI base) {
        List<String> issuers = new ArrayList<>();
        if (builtIn && base != null) {
            issuers.add(base.toString());
        }
        if (external != null) {
            issuers.add(external.toString());
        }
        return issuers;
    }

    /**
     * The scopes a client may ask for to use MCP at {@code resource} (an endpoint's canonical URI, or the base URL):
     * {@code mcp:use}, and the external provider's name for it.
     */
    public List<String> scopesSupported(String resource) {
        Set<String> scopes = new LinkedHashSet<>();
        if (builtIn || external == null) {
            scopes.add(Scope.MCP.value());
        }
        if (external != null) {
            scopes.add(externalScope(resource));
        }
        return List.copyOf(scopes);
    }

    /** The one scope a 401 or 403 at {@code resource} names: the built-in server's when it is on. */
    public String challengeScope(String resource) {
        return builtIn || external == null ? Scope.MCP.value() : externalScope(resource);
    }

    /**
     * SWITCHBOARD_OAUTH_SCOPE for {@code resource}: {@code {resource}} in it stands for the resource's URI, for
     * Entra ID, whose scopes are prefixed by an identifier URI that must equal the RFC 8707 resource a client sends.
     */
    private String externalScope(String resource) {
        return externalScope.replace(RESOURCE_PLACEHOLDER, resource);
    }

    /** Audiences the external provider's tokens may carry beyond the endpoint's URI and the base URL. */
    Set<String> extraAudiences() {
        return extraAudiences;
    }

    /**
     * True when an external token's scope grants MCP access: the configured scope, or the last segment of a
     * URI-shaped one ({@code api://app/mcp.use} is {@code mcp.use} in Entra ID's {@code scp}), whatever
     * {@code {resource}} stood for.
     */
    boolean grantsMcp(String tokenScope) {
        if (tokenScope.equals(externalScope) && !externalScope.contains(RESOURCE_PLACEHOLDER)) {
            return true;
        }
        int slash = externalScope.lastIndexOf('/');
        return slash >= 0 && slash < externalScope.length() - 1 && tokenScope.equals(externalScope.substring(slash + 1));
    }

    private static URI issuer(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new InvalidSettingException("SWITCHBOARD_OAUTH_ISSUER must be the provider's issuer URL (https://..., "
                + "no query or fragment), exactly as its tokens' iss claim writes it, not '" + text + "'");
    }
}
