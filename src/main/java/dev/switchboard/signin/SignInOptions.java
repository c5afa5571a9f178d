package dev.switchboard.signin;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;

/**
 * The ways the login page offers: names and passwords checked by {@code passwordProviders} (the administrator today;
 * local users add a provider here), and the external OpenID Connect provider when {@code oidc} is set.
 */
public record SignInOptions(List<AuthenticationProvider> passwordProviders, OidcSettings oidc) {

    public SignInOptions {
        passwordProviders = List.copyOf(passwordProviders);
    }

    /** Whether the name-and-password form is shown. */
    public boolean passwordSignIn() {
        return !passwordProviders.isEmpty();
    }
}
