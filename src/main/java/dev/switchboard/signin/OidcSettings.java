package dev.switchboard.signin;

import dev.switchboard.settings.InvalidSettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * "Sign in with &lt;provider&gt;" on the built-in authorization server's login page (SWITCHBOARD_OIDC_*), checked at
 * start-up: all three of issuer, client id and secret, or none.
 *
 * @param issuer       The external OpenID Connect provider's issuer URL (its discovery document is read from
 *                     {@code <issuer>/.well-known/openid-configuration}); https, or http on a loopback address.
 * @param clientId     The client id this gateway was registered with at the provider.
 * @param clientSecret The client secret the provider issued with it.
 * @param name         The provider's name on the button; unset: the issuer's host.
 */
@ConfigurationProperties("switchboard.oidc")
public record OidcSettings(String issuer, String clientId, String clientSecret, String name) {

    public OidcSettings {
        issuer = blankToNull(issuer);
        clientId = blankToNull(clientId);
        clientSecret = blankToNull(clientSecret);
        name = blankToNull(name);
        int set = (issuer == null ? 0 : 1) + (clientId == null ? 0 : 1) + (clientSecret == null ? 0 : 1);
        if (set != 0 && set != 3) {
            throw new InvalidSettingException("Sign-in with an OpenID Connect provider needs SWITCHBOARD_OIDC_ISSUER, "
                    + "SWITCHBOARD_OIDC_CLIENT_ID and SWITCHBOARD_OIDC_CLIENT_SECRET together; "
                    + (issuer == null ? "SWITCHBOARD_OIDC_ISSUER" : clientId == null ? "SWITCHBOARD_OIDC_CLIENT_ID"
                    : "SWITCHBOARD_OIDC_CLIENT_SECRET") + " is missing");
        }
        if (issuer != null) {
            URI uri;
            try {
                uri = new URI(issuer);
            } catch (URISyntaxException e) {
                throw new InvalidSettingException("SWITCHBOARD_OIDC_ISSUER is not a URL: " + issuer);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost();
            boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
            if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
                throw new InvalidSettingException("SWITCHBOARD_OIDC_ISSUER must be an https URL (http only on a "
                        + "loopback address) without query or fragment, not " + issuer);
            }
        }
    }

    /** Whether delegated sign-in is configured. */
    public boolean enabled() {
        return issuer != null;
    }

    /** The button's label: the name, or the issuer's host. */
    public String label() {
        return name != null ? name : URI.create(issuer).getHost();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
        return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret="
                + (clientSecret == null ? "unset" : "****") + ", name=" + name + "]";
    }
}
