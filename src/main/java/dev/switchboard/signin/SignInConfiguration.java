package dev.switchboard.signin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import dev.switchboard.security.AdminAuthenticationProvider;
import dev.switchboard.security.AdminPassword;
import dev.switchboard.security.LoginThrottle;
import dev.switchboard.users.LocalUserSignIn;
import dev.switchboard.users.ProviderTeams;
import dev.switchboard.users.UserDirectory;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.thymeleaf.ITemplateEngine;

/**
 * The sign-in side of the built-in authorization server: the login form (with the shared failed-login limit), the
 * administrator as its first password provider, and "Sign in with &lt;provider&gt;" when SWITCHBOARD_OIDC_* is set.
 * The authorization server's browser-facing filter chain applies {@link #signInPages} to itself, so all of this
 * lives on that chain only, with its session and CSRF protection.
 */
@Configuration(proxyBeanMethods = false)
// Only beside the built-in authorization server, whose chain these pages serve.
@ConditionalOnBooleanProperty(name = "switchboard.auth-server.enabled", matchIfMissing = true)
public class SignInConfiguration {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SignInConfiguration.class);

    /** The bean name under which the authorization server's chain finds {@link #signInPages}. */
    public static final String SIGN_IN_PAGES = "signInPages";

    /**
     * The password providers: the administrator (ADMIN_PASSWORD, or the generated password), then the local users.
     */
    @Bean
    public SignInOptions signInOptions(AdminPassword admin, OidcSettings oidc, LocalUserSignIn localUsers) {
        return new SignInOptions(List.of(new AdminAuthenticationProvider(admin), localUsers), oidc);
    }

    @Bean
    OidcSignIn oidcSignIn(OidcSettings oidc) {
        return new OidcSignIn(oidc);
    }

    @Bean(SIGN_IN_PAGES)
    public Customizer<HttpSecurity> signInPages(SignInOptions options, OidcSignIn provider, UserDirectory users,
                                                ProviderTeams teams, LoginThrottle throttle,
                                                ITemplateEngine templates) {
        ThrottledSignIn throttled = new ThrottledSignIn(throttle, templates);
        return http -> {
            try {
                options.passwordProviders().forEach(http::authenticationProvider);
                http.addFilterBefore(throttled, UsernamePasswordAuthenticationFilter.class);
                http.formLogin(form -> form.loginPage("/login").failureHandler(throttled.failureHandler())
                        .permitAll());
                if (provider.enabled()) {
                    DefaultOAuth2AuthorizationRequestResolver requests = new DefaultOAuth2AuthorizationRequestResolver(
                            provider.registrations(), "/oauth2/authorization");
                    // PKCE towards the provider as well, though this client also has a secret (OAuth 2.1, BCP 9700).
                    requests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
                    http.oauth2Login(login -> login.loginPage("/login")
                            .clientRegistrationRepository(provider.registrations())
                            .authorizationEndpoint(a -> a.authorizationRequestResolver(requests))
                            .userInfoEndpoint(u -> u.oidcUserService(OidcSignIn.users(users, teams.groupsClaim())))
                            .failureHandler((request, response, exception) -> {
                                // The reason (an OAuth error code and description, never a token) for the operator.
                                log.warn("Sign-in with {} failed: {}", provider.label(), exception.getMessage());
                                response.sendRedirect(request.getContextPath() + "/login?provider_error");
                            }));
                }
            } catch (Exception e) {
                throw new IllegalStateException("the sign-in pages could not be set up", e);
            }
        };
    }
}
