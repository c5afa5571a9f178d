package dev.switchboard.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.switchboard.persistence.SchemaMigrator;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * The one security filter chain. It is stateless (no session, no cookie, so no CSRF), and every path needs
 * credentials except GET /health and GET /ready, so a route added later is protected until someone decides
 * otherwise. docs/security.md has the table of routes and scopes.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    public SecuritySettings securitySettings(SecurityProperties properties) {
        return SecuritySettings.from(properties);
    }

    /**
     * ADMIN_PASSWORD, or the password whose hash the registry keeps: generated and printed once at the registry's
     * first start. Read now when the schema is there, so the first start prints it at once; otherwise at the first
     * login.
     */
    @Bean
    public AdminPassword adminPassword(SecuritySettings settings, RegistrySettings registry, SchemaMigrator migrator) {
        if (settings.adminPassword() != null) {
            return AdminPassword.explicit(settings.adminUser(), settings.adminPassword());
        }
        AdminPassword stored = AdminPassword.stored(settings.adminUser(), registry);
        if (SecretCipherConfiguration.schemaHasRegistrySettings(migrator)) {
            stored.resolve();
        }
        return stored;
    }

    @Bean
    LoginThrottle loginThrottle(SecuritySettings settings, SharedLoginFailures shared) {
        return new LoginThrottle(settings.loginFailuresPerMinute(), LoginThrottle.DEFAULT_CAPACITY, Clock.systemUTC(),
                shared);
    }

    @Bean
    public SecurityFilterChain securityFilterChain(HttpSecurity http, SecuritySettings settings,
                                                   AdminPassword admin, ApiTokenService apiTokens, LoginThrottle throttle,
                                                   PublicUrl publicUrl, AuthorizationServers servers,
                                                   UserRights rights,
                                                   ObjectProvider<JWKSource<SecurityContext>> builtInKeys)
            throws Exception {
        SecurityProblems problems = new SecurityProblems(settings.basicAuthEnabled(), publicUrl, servers);
        describe(settings, publicUrl, servers);

        OAuthTokens oauth = new OAuthTokens(servers, builtInKeys::getIfUnique, settings.clockSkew(),
                Clock.systemUTC());
        BearerTokenAuthenticationFilter bearer = new BearerTokenAuthenticationFilter(new BearerAuthentication(
                apiTokens, settings.jwtEnabled() ? new JwtVerification(settings) : null, oauth, publicUrl, rights));
        bearer.setAuthenticationEntryPoint(problems);
        // Every failure, a key server that is down included, is answered by us rather than rethrown as a 500.
        bearer.setAuthenticationFailureHandler(problems::commence);
        http.addFilter(bearer);
        if (settings.basicAuthEnabled()) {
            http.addFilter(new BasicAuthenticationFilter(new ProviderManager(new AdminAuthenticationProvider(admin)),
                    problems));
        }
        http.addFilterBefore(new LoginThrottleFilter(throttle), SecurityContextHolderFilter.class);

        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(rules -> rules
                        // The error page renders a failure of a request that was already let through or refused.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.GET, "/health", "/ready").permitAll()
                        // RFC 9728: how a client without a token learns where to get one.
                        .requestMatchers(McpResources.METADATA_PATH, McpResources.METADATA_PATH + "/**").permitAll()
                        .requestMatchers("/metrics/**").hasAuthority(Scope.METRICS.authority())
                        .requestMatchers("/openapi.json", "/docs", "/docs/**")
                        .authenticated()
                        .requestMatchers("/mcp", "/servers/*/mcp", "/sse", "/servers/*/sse", "/messages",
                                "/servers/*/messages").access(new ServerNarrowing(rights))
                        .requestMatchers("/v1/tokens/**").hasAuthority(Scope.TOKENS.authority())
                        .requestMatchers("/v1/audit", "/v1/audit/**").hasAuthority(Scope.ADMIN.authority())
                        .requestMatchers("/v1/users", "/v1/users/**").hasAuthority(Scope.ADMIN.authority())
                        // Any user reads and (as a team's owner) manages their teams; the roles are checked there.
                        .requestMatchers("/v1/teams", "/v1/teams/**").hasAuthority(Scope.CATALOG_READ.authority())
                        .requestMatchers(HttpMethod.GET, "/v1/**").hasAuthority(Scope.CATALOG_READ.authority())
                        .requestMatchers(HttpMethod.HEAD, "/v1/**").hasAuthority(Scope.CATALOG_READ.authority())
                        .requestMatchers("/v1/**").hasAuthority(Scope.CATALOG_WRITE.authority())
                        .anyRequest().authenticated());
        return http.build();
    }

    /**
     * The strict firewall ({@link Firewall}): URLs, methods and text it refuses are bad input, answered as
     * problem+json (400, or 405 for a method), not a 500.
     */
    @Bean
    public WebSecurityCustomizer firewall() {
        Firewall firewall = new Firewall();
        return web -> web.httpFirewall(firewall).requestRejectedHandler(firewall);
    }

    private static void describe(SecuritySettings settings, PublicUrl publicUrl, AuthorizationServers servers) {
        List<String> ways = new ArrayList<>(List.of("API tokens"));
        if (servers.builtInEnabled()) {
            ways.add("OAuth access tokens from the built-in authorization server");
        }
        servers.external().ifPresent(issuer -> ways.add("OAuth access tokens from " + issuer));
        log.info("Public URL: {}", publicUrl.configured().map(Object::toString)
                .orElse("unset (SWITCHBOARD_PUBLIC_URL); only loopback requests may derive it from the request"));
        if (settings.jwtSecret() != null) {
            ways.add("HS256 JWTs");
        }
        if (settings.jwtPublicKey() != null) {
            ways.add("RS256 JWTs (JWT_PUBLIC_KEY)");
        }
        if (settings.jwksUrl() != null) {
            ways.add("RS256 JWTs (JWT_JWKS_URL)");
        }
        if (settings.basicAuthEnabled()) {
            ways.add("HTTP Basic for " + settings.adminUser() + (settings.adminPassword() != null
                    ? " (ADMIN_PASSWORD)" : " (the password whose hash the registry keeps)"));
        } else {
            ways.add("not HTTP Basic (SWITCHBOARD_BASIC_AUTH_ENABLED=false)");
        }
        log.info("Authentication: {}", String.join(", ", ways));
        if (!settings.jwtEnabled() && !settings.basicAuthEnabled()) {
            log.warn("No login is configured, so the API cannot be used (only /health and /ready answer): {}",
                    SecuritySettings.howToConfigure());
        }
    }
}
