package dev.switchboard.signin;

import dev.switchboard.security.LoginThrottle;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.filter.OncePerRequestFilter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * The failed-login limit on the sign-in form, shared with HTTP Basic ({@link LoginThrottle}): a POST to /login from a
 * client that failed too often is answered 429 with a page saying when to try again, without checking the password;
 * each failed attempt is counted by {@link #failureHandler()}.
 */
final class ThrottledSignIn extends OncePerRequestFilter {

    private final LoginThrottle throttle;
    private final ITemplateEngine templates;

    ThrottledSignIn(LoginThrottle throttle, ITemplateEngine templates) {
        this.throttle = throttle;
        this.templates = templates;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Duration wait = throttle.retryAfter(request.getRemoteAddr());
        if (wait.isZero()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        Context context = new Context();
        context.setVariable("seconds", seconds);
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        templates.process("signin/throttled", context, response.getWriter());
    }

    /** Counts the failure, then shows the form again with one message for any wrong name or password. */
    AuthenticationFailureHandler failureHandler() {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException exception) -> {
            throttle.recordFailure(request.getRemoteAddr());
            response.sendRedirect(request.getContextPath() + "/login?error");
        };
    }
}
