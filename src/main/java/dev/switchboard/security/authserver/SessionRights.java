package dev.switchboard.security.authserver;

import dev.switchboard.security.DisabledUserException;
import dev.switchboard.security.Scope;
import dev.switchboard.security.UserRights;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A signed-in session holds the rights its user holds now, not those of the moment they signed in: on every request
 * of the sign-in chain (the console, consent), its scopes are the user's current ones, and a user who was disabled
 * or deleted is signed out. A user of the provider gets the scopes of their user here, not the provider's.
 */
final class SessionRights extends OncePerRequestFilter {

    private static final String PREFIX = "SCOPE_";
    private final UserRights rights;

    SessionRights(UserRights rights) {
        this.rights = rights;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
        if (signedIn == null || signedIn instanceof AnonymousAuthenticationToken || !signedIn.isAuthenticated()
                || !(signedIn instanceof UsernamePasswordAuthenticationToken
                || signedIn instanceof OAuth2AuthenticationToken)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Set<Scope>> held;
        try {
            held = rights.scopesOf(signedIn.getName());
        } catch (DisabledUserException e) {
            held = Optional.empty();
        }
        if (held.isEmpty()) {
            // Everyone who signs in here is a user or the administrator: no rights means disabled or deleted.
            SecurityContextHolder.clearContext();
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            chain.doFilter(request, response);
            return;
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        signedIn.getAuthorities().stream().filter(a -> a.getAuthority() == null
                || !a.getAuthority().startsWith(PREFIX)).forEach(authorities::add);
        held.get().forEach(s -> authorities.add(new SimpleGrantedAuthority(s.authority())));
        Authentication current = switch (signedIn) {
            case OAuth2AuthenticationToken provider -> new OAuth2AuthenticationToken(provider.getPrincipal(),
                    authorities, provider.getAuthorizedClientRegistrationId());
            default -> {
                UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.authenticated(
                        signedIn.getPrincipal(), null, authorities);
                token.setDetails(signedIn.getDetails());
                yield token;
            }
        };
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(current);
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
