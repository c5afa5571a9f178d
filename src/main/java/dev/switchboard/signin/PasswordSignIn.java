package dev.switchboard.signin;

import org.springframework.security.authentication.AuthenticationProvider;

/**
 * A source of name-and-password sign-ins for the login page besides the administrator (local users, from a later
 * feature): each bean of this type is asked in turn, after the administrator.
 */
public interface PasswordSignIn extends AuthenticationProvider {
}
