package dev.switchboard.users;

import dev.switchboard.persistence.DataAccessFailure;
import dev.switchboard.security.Scope;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * The sign-in page's check of a local user's name and password. An unknown name, a user of the provider, a disabled
 * user and a wrong password are one failure, and each costs one password hash, so that the answer's time does not
 * tell which it was.
 */
@Component
public class LocalUserSignIn implements AuthenticationProvider {

    /** Checked when there is no stored hash, so that an unknown name costs as much as a known one. */
    private static final String DECOY = UserDirectory.PASSWORDS.encode("a password no user has, for timing only");

    private final UserDirectory users;

    LocalUserSignIn(UserDirectory users) {
        this.users = users;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String name = String.valueOf(authentication.getPrincipal()).toLowerCase(Locale.ROOT);
        Object credentials = authentication.getCredentials();
        String password = credentials == null ? "" : credentials.toString();
        Optional<UserRepository.WithPassword> found;
        try {
            found = UserRequest.USERNAME.matcher(name).matches() ? users.local(name) : Optional.empty();
        } catch (DataAccessFailure e) {
            throw new AuthenticationServiceException("Users cannot be checked now: the database is unavailable", e);
        }
        String hash = found.map(UserRepository.WithPassword::passwordHash).orElse(null);
        boolean matches = UserDirectory.PASSWORDS.matches(password, hash == null ? DECOY : hash);
        if (hash == null || !matches || !found.get().user().enabled()) {
            throw new BadCredentialsException("The user name or password is not valid");
        }
        User user = found.get().user();
        try {
            users.recordSignIn(user);
        } catch (DataAccessFailure e) {
            // The sign-in time is for people reading the list; the password was checked.
        }
        return UsernamePasswordAuthenticationToken.authenticated(user.username(), null,
                user.scopes().stream().map(Scope::authority).map(SimpleGrantedAuthority::new).toList());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
