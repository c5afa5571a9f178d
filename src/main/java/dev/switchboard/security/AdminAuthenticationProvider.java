package dev.switchboard.security;

import java.security.MessageDigest;
import java.util.Arrays;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The administrator's login (HTTP Basic and the sign-in page): ADMIN_USER and its {@link AdminPassword}, granting
 * every scope.
 */
public final class AdminAuthenticationProvider implements AuthenticationProvider {

    private final AdminPassword password;
    private final byte[] user;

    public AdminAuthenticationProvider(AdminPassword password) {
        this.password = password;
        this.user = AdminPassword.sha256(password.user());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String givenUser = String.valueOf(authentication.getPrincipal());
        Object credentials = authentication.getCredentials();
        String givenPassword = credentials == null ? "" : credentials.toString();
        // Both are checked whatever the first answer, so that a wrong user name costs as much as a wrong password.
        // Digests have one length whatever was sent, so the comparison takes the same time for every guess.
        boolean userMatches = MessageDigest.isEqual(user, AdminPassword.sha256(givenUser));
        boolean passwordMatches = password.matches(givenPassword);
        if (!(userMatches & passwordMatches)) {
            throw new BadCredentialsException("The user name or password is not valid");
        }
        return UsernamePasswordAuthenticationToken.authenticated(password.user(), null,
                Arrays.stream(Scope.values()).map(s -> new SimpleGrantedAuthority(s.authority())).toList());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
