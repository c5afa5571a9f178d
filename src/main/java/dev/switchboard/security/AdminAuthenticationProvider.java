package dev.switchboard.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The administrator's HTTP Basic login: ADMIN_USER and ADMIN_PASSWORD, granting every scope. */
final class AdminAuthenticationProvider implements AuthenticationProvider {

    private final String user;
    private final byte[] userDigest;
    private final byte[] passwordDigest;

    AdminAuthenticationProvider(String user, String password) {
        this.user = user;
        this.userDigest = sha256(user);
        this.passwordDigest = sha256(password);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String givenUser = String.valueOf(authentication.getPrincipal());
        Object credentials = authentication.getCredentials();
        String givenPassword = credentials == null ? "" : credentials.toString();
        // Digests have one length whatever was sent, so the comparison takes the same time for every guess;
        // both are compared so that a wrong user name costs as much as a wrong password.
        boolean userMatches = MessageDigest.isEqual(userDigest, sha256(givenUser));
        boolean passwordMatches = MessageDigest.isEqual(passwordDigest, sha256(givenPassword));
        if (!(userMatches & passwordMatches)) {
            throw new BadCredentialsException("The user name or password is not valid");
        }
        return UsernamePasswordAuthenticationToken.authenticated(user, null,
                Arrays.stream(Scope.values()).map(s -> new SimpleGrantedAuthority(s.authority())).toList());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
