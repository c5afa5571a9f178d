package dev.switchboard.signin;

import dev.switchboard.persistence.DataAccessFailure;
import dev.switchboard.users.User;
import dev.switchboard.users.UserDirectory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * "Sign in with &lt;provider&gt;": the external OpenID Connect provider as Spring Security's one client registration,
 * {@code oidc}. Its discovery document is read on first use (with a deadline), not at start-up, so a provider that
 * is down delays only its own button; a failed discovery is tried again on the next sign-in.
 *
 * <p>A user signed in this way is named {@code <iss>#<sub>}: the provider's issuer and subject, which together are
 * stable and unique (an e-mail address or user name at the provider may change hands).
 */
final class OidcSignIn {

    static final String REGISTRATION_ID = "oidc";
    /** The longest username the users table keeps. */
    private static final int MAX_USERNAME = 255;
    private static final Duration DISCOVERY_DEADLINE = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(OidcSignIn.class);

    private final OidcSettings settings;
    private volatile ClientRegistration registration;

    OidcSignIn(OidcSettings settings) {
        this.settings = settings;
    }

    /**
     * The provider as Spring Security's registrations. Not a bean of that type: Spring would then set up OAuth client
     * support for the whole application, which only the sign-in chain needs.
     */
    ClientRegistrationRepository registrations() {
        return registrationId -> REGISTRATION_ID.equals(registrationId) ? registration() : null;
    }

    boolean enabled() {
        return settings.enabled();
    }

    String label() {
        return settings.label();
    }

    /** The registration, discovering the provider first if that has not succeeded yet; null while it fails. */
    ClientRegistration registration() {
        if (!settings.enabled()) {
            return null;
        }
        ClientRegistration known = registration;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (registration == null) {
                registration = discover();
            }
            return registration;
        }
    }

    private ClientRegistration discover() {
        // On its own thread, not waited for past the deadline (Spring's discovery has no deadline of its own).
        FutureTask<ClientRegistration.Builder> answer = new FutureTask<>(
                () -> ClientRegistrations.fromIssuerLocation(settings.issuer()));
        Thread.ofVirtual().start(answer);
        {
            try {
                ClientRegistration.Builder discovered = answer.get(DISCOVERY_DEADLINE.toMillis(),
                        TimeUnit.MILLISECONDS)
                        .registrationId(REGISTRATION_ID)
                        .clientId(settings.clientId())
                        .clientSecret(settings.clientSecret())
                        .clientName(settings.label())
                        .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                        .userNameAttributeName("sub");
                // profile and email only where the provider says it has them (a bare OAuth server may refuse them).
                Object supported = discovered.build().getProviderDetails().getConfigurationMetadata()
                        .get("scopes_supported");
                java.util.Set<String> scopes = new java.util.LinkedHashSet<>(java.util.List.of("openid"));
                for (String wanted : new String[] {"profile", "email"}) {
                    if (!(supported instanceof java.util.Collection<?> list) || list.contains(wanted)) {
                        scopes.add(wanted);
                    }
                }
                return discovered.scope(scopes).build();
            } catch (TimeoutException e) {
                answer.cancel(true);
                log.warn("The OpenID Connect provider {} did not answer its discovery within {}", settings.issuer(),
                        DISCOVERY_DEADLINE);
            } catch (ExecutionException e) {
                log.warn("The OpenID Connect provider {} could not be discovered: {}", settings.issuer(),
                        e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    /**
     * Loads the user as Spring does (ID token checked, user info fetched), names it by issuer and subject, and finds
     * or creates the gateway's user of that name; a disabled user is refused.
     */
    static OAuth2UserService<OidcUserRequest, OidcUser> users(UserDirectory directory, String groupsClaim) {
        OidcUserService delegate = new OidcUserService();
        return request -> {
            OidcUser loaded = delegate.loadUser(request);
            ProviderUser user = new ProviderUser(loaded.getAuthorities(), loaded.getIdToken(), loaded.getUserInfo());
            if (user.getName().length() > MAX_USERNAME) {
                throw refused("the provider's issuer and subject are longer than " + MAX_USERNAME + " characters");
            }
            User known;
            try {
                known = directory.signedInAtProvider(user.getIdToken().getIssuer().toString(), user.getSubject(),
                        user.getFullName() != null ? user.getFullName() : user.displayName(), user.getEmail(),
                        groups(user.getClaims().get(groupsClaim)));
            } catch (DataAccessFailure e) {
                throw new OAuth2AuthenticationException(new OAuth2Error("temporarily_unavailable",
                        "the user cannot be recorded: the database is unavailable", null), e);
            }
            if (!known.enabled()) {
                throw refused("the user " + known.username() + " is disabled");
            }
            return user;
        };
    }

    /** A groups claim as a list: an array of strings, or one string; anything else is no group. */
    private static java.util.List<String> groups(Object claim) {
        if (claim instanceof String one) {
            return java.util.List.of(one);
        }
        if (claim instanceof java.util.Collection<?> many) {
            return many.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return java.util.List.of();
    }

    private static OAuth2AuthenticationException refused(String reason) {
        return new OAuth2AuthenticationException(new OAuth2Error("access_denied", reason, null));
    }

    /** An OpenID Connect user whose name is {@code <iss>#<sub>}. */
    static final class ProviderUser extends DefaultOidcUser {
        ProviderUser(java.util.Collection<? extends GrantedAuthority> authorities, OidcIdToken idToken,
                     OidcUserInfo userInfo) {
            super(authorities, idToken, userInfo, "sub");
        }

        @Override
        public String getName() {
            return getIdToken().getIssuer() + "#" + getSubject();
        }

        /** How the pages greet the user: preferred_username, e-mail, name, or the subject. */
        String displayName() {
            Map<String, Object> claims = getClaims();
            for (String claim : new String[] {"preferred_username", "email", "name"}) {
                if (claims.get(claim) instanceof String text && !text.isBlank()) {
                    return text;
                }
            }
            return getSubject();
        }
    }
}
