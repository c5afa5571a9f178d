package dev.switchboard.security;

import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses requests that carry credentials from a client that failed to log in too often (429, without
 * checking the credentials), and counts each request with credentials that ends in 401 as a failure.
 * The client is the request's remote address: behind a proxy it is the proxy's, unless the operator turns
 * on forwarded headers (SERVER_FORWARD_HEADERS_STRATEGY), which only then are trusted.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;

    LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            chain.doFilter(request, response);
            return;
        }
        String client = request.getRemoteAddr();
        Duration wait = throttle.retryAfter(client);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            Problems.write(response, Problems.of(ProblemType.TOO_MANY_REQUESTS, "Too many failed logins from "
                    + "this address; try again in " + seconds + " s"));
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            throttle.recordFailure(client);
        }
    }
}
