package dev.switchboard.security.authserver;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationEndpointConfigurer;

/**
 * Where a user signs in and consents, in one place: the login page, "Sign in with &lt;provider&gt;" and the consent
 * page are the {@code signin} package's (it names virtual servers, which this package may not know), applied to the
 * authorization server's chain through the {@link Customizer} bean named {@link #BEAN}.
 */
final class SignInPages {

    /** The name of the {@code Customizer<HttpSecurity>} bean that sets up the login on this chain. */
    static final String BEAN = "signInPages";
    /** The consent page's path (the signin package's ConsentPage). */
    static final String CONSENT_PAGE = "/oauth2/consent";
    /** Where an unauthenticated authorization request is sent to sign in. */
    static final String LOGIN_PATH = "/login";
    /** The sign-in pages' own paths below the login page: the provider button and the provider's redirect URI. */
    static final String LOGIN_PATHS = "/login/**";
    /** The operator's console: its pages sign in here and keep this chain's session. */
    static final String CONSOLE = "/admin";
    /** The console's pages and assets below {@link #CONSOLE}. */
    static final String CONSOLE_PATHS = "/admin/**";

    private SignInPages() {
    }

    /** The form login (and provider login) of the authorization server's chain. */
    static void login(HttpSecurity http, Customizer<HttpSecurity> pages) {
        pages.customize(http);
    }

    /** The consent page of the authorization endpoint. */
    static void consent(OAuth2AuthorizationEndpointConfigurer endpoint) {
        endpoint.consentPage(CONSENT_PAGE);
    }
}
