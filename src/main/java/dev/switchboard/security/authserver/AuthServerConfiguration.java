package dev.switchboard.security.authserver;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.switchboard.persistence.Transactions;
import dev.switchboard.security.PublicUrl;
import dev.switchboard.security.UserRights;
import dev.switchboard.security.Scope;
import dev.switchboard.security.SecretCipher;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The built-in OAuth 2.1 authorization server (Spring Security's Authorization Server), on a filter chain of its own
 * ahead of the API's: only its endpoints and sign-in pages, and the only chain with an HTTP session. Everything it
 * keeps lives in the registry. SWITCHBOARD_AUTH_SERVER_ENABLED=false leaves all of it out, keys included.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "switchboard.auth-server.enabled", matchIfMissing = true)
public class AuthServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthServerConfiguration.class);

    @Bean
    ClientStore oauthClientStore(Transactions transactions, AuthServerSettings settings) {
        return new ClientStore(transactions, settings);
    }

    /**
     * The clients the endpoints see: those registered here, and those named by a Client ID Metadata Document URL.
     */
    @Bean
    MetadataDocumentClients oauthClients(ClientStore clients, ClientMetadataDocuments documents,
                                         AuthServerSettings settings) {
        return new MetadataDocumentClients(clients, documents, settings);
    }

    @Bean
    AuthorizationStore oauthAuthorizationStore(Transactions transactions, ClientStore clients) {
        return new AuthorizationStore(transactions, clients);
    }

    @Bean
    ConsentStore oauthConsentStore(Transactions transactions) {
        return new ConsentStore(transactions);
    }

    @Bean
    SigningKeys oauthSigningKeys(Transactions transactions, SecretCipher cipher, AuthServerSettings settings) {
        return new SigningKeys(transactions, cipher, settings.keyRotation(), Clock.systemUTC());
    }

    /** The published signing keys (current and previous): the JWKS, and the resource server's in-process check. */
    @Bean
    public JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
        return keys.publicSource();
    }

    @Bean
    AuthorizationSweep oauthAuthorizationSweep(AuthorizationStore authorizations, SigningKeys keys) {
        return new AuthorizationSweep(authorizations, keys);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, AuthServerSettings settings, PublicUrl publicUrl,
                                                 ClientStore clients, MetadataDocumentClients allClients,
                                                 AuthorizationStore authorizations, ConsentStore consents,
                                                 SigningKeys keys, UserRights rights,
                                                 @Qualifier(SignInPages.BEAN) Customizer<HttpSecurity> signInPages)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
        JwtGenerator jwts = new JwtGenerator(new NimbusJwtEncoder(keys.signingSource()));
        jwts.setJwtCustomizer(new AccessTokenClaims(rights));
        AuthorizationServerSettings.Builder serverSettings = AuthorizationServerSettings.builder()
                .clientRegistrationEndpoint(ClientRegistrationEndpoint.PATH);
        publicUrl.configured().ifPresent(base -> serverSettings.issuer(base.toString()));
        PasswordEncoder secrets = PasswordEncoderFactories.createDelegatingPasswordEncoder();

        RequestMatcher pages = new OrRequestMatcher(
                PathPatternRequestMatcher.pathPattern(SignInPages.LOGIN_PATH),
                PathPatternRequestMatcher.pathPattern(SignInPages.LOGIN_PATHS),
                PathPatternRequestMatcher.pathPattern("/logout"),
                PathPatternRequestMatcher.pathPattern(SignInPages.CONSOLE),
                PathPatternRequestMatcher.pathPattern(SignInPages.CONSOLE_PATHS),
                PathPatternRequestMatcher.pathPattern("/oauth2/**"),
                PathPatternRequestMatcher.pathPattern("/connect/**"),
                PathPatternRequestMatcher.pathPattern("/.well-known/oauth-authorization-server/**"),
                PathPatternRequestMatcher.pathPattern("/.well-known/openid-configuration/**"));
        http.securityMatcher(new OrRequestMatcher(server.getEndpointsMatcher(), pages))
                .with(server, as -> as
                        .registeredClientRepository(allClients)
                        .authorizationService(authorizations)
                        .authorizationConsentService(consents)
                        .authorizationServerSettings(serverSettings.build())
                        .tokenGenerator(new DelegatingOAuth2TokenGenerator(jwts, PublicClientRefresh.tokens()))
                        .clientAuthentication(clientAuthentication -> clientAuthentication
                                .authenticationConverters(converters -> converters.add(PublicClientRefresh.converter()))
                                .authenticationProviders(providers -> providers.add(
                                        PublicClientRefresh.provider(allClients))))
                        .authorizationEndpoint(endpoint -> {
                            endpoint.authenticationProviders(providers -> providers.forEach(provider -> {
                                if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider p) {
                                    p.setAuthenticationValidator(AuthorizationRequestRules.validator());
                                }
                            }));
                            endpoint.authorizationResponseHandler(AuthorizationResponses.success());
                            endpoint.errorResponseHandler(AuthorizationResponses.failure());
                            SignInPages.consent(endpoint);
                        })
                        .authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
                                claims -> claims
                                        .claim("registration_endpoint", issuer() + ClientRegistrationEndpoint.PATH)
                                        .claim("authorization_response_iss_parameter_supported", true)
                                        .claim("client_id_metadata_document_supported", true)
                                        .claim("scopes_supported", List.copyOf(ClientRegistrationEndpoint.SCOPES))))
                        .oidc(oidc -> oidc.providerConfigurationEndpoint(provider -> provider
                                .providerConfigurationCustomizer(claims -> claims
                                        .claim("registration_endpoint", issuer() + ClientRegistrationEndpoint.PATH)
                                        .claim("authorization_response_iss_parameter_supported", true)
                                        .claim("client_id_metadata_document_supported", true)
                                        .claim("code_challenge_methods_supported", List.of("S256"))))))
                .oauth2ResourceServer(rs -> rs.jwt(jwt -> jwt.decoder(
                        NimbusJwtDecoder.withJwkSource(keys.publicSource()).build())))
                .authorizeHttpRequests(rules -> rules
                        .requestMatchers(SignInPages.LOGIN_PATH, SignInPages.LOGIN_PATHS, "/error").permitAll()
                        // The console is for those who may read the catalog; each page checks the rest.
                        .requestMatchers(SignInPages.CONSOLE, SignInPages.CONSOLE_PATHS)
                        .hasAuthority(Scope.CATALOG_READ.authority())
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(SignInPages.LOGIN_PATH),
                                PathPatternRequestMatcher.pathPattern("/oauth2/authorize"))
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(SignInPages.LOGIN_PATH),
                                new OrRequestMatcher(PathPatternRequestMatcher.pathPattern(SignInPages.CONSOLE),
                                        PathPatternRequestMatcher.pathPattern(SignInPages.CONSOLE_PATHS))))
                .addFilterBefore(new BaseUrlRequired(publicUrl), SecurityContextHolderFilter.class)
                .addFilterBefore(new ClientRegistrationEndpoint(clients, settings, secrets), CsrfFilter.class)
                .addFilterAfter(new SessionRights(rights), SecurityContextHolderFilter.class);
        // The administrator (and later local users) and any OpenID Connect provider sign in through these pages.
        SignInPages.login(http, signInPages);
        log.info("Built-in authorization server: on (registration {}, access tokens {}, refresh tokens {})",
                settings.registration(), settings.accessTokenTtl(), settings.refreshTokenTtl());
        return http.build();
    }

    private static String issuer() {
        return AuthorizationServerContextHolder.getContext().getIssuer();
    }

    /**
     * Refuses requests that have no base URL (SWITCHBOARD_PUBLIC_URL unset and a caller that is not on loopback): the
     * issuer would otherwise be whatever Host header the caller sent. A failure below is answered as OAuth error JSON,
     * never as a 500 page.
     */
    private static final class BaseUrlRequired extends OncePerRequestFilter {

        private final PublicUrl publicUrl;

        BaseUrlRequired(PublicUrl publicUrl) {
            this.publicUrl = publicUrl;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (publicUrl.baseFor(request).isEmpty()) {
                AuthorizationResponses.writeError(response, HttpServletResponse.SC_BAD_REQUEST, new OAuth2Error(
                        "invalid_request", "The gateway has no public URL for this request: set "
                        + "SWITCHBOARD_PUBLIC_URL", null));
                return;
            }
            try {
                chain.doFilter(request, response);
            } catch (RuntimeException e) {
                log.warn("The authorization server could not answer {}: {}", request.getRequestURI(),
                        e.getClass().getSimpleName());
                log.debug("The failure", e);
                if (!response.isCommitted()) {
                    response.reset();
                    AuthorizationResponses.writeError(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                            new OAuth2Error("temporarily_unavailable", "Try again in a moment", null));
                }
            }
        }
    }
}
