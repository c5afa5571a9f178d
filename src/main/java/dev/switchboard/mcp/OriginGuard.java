package dev.switchboard.mcp;

import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Protection of the MCP endpoints against DNS rebinding, as the Streamable HTTP transport requires. A browser
 * sends {@code Origin}; a request whose Origin is not on SWITCHBOARD_ALLOWED_ORIGINS is refused with 403, so
 * by default no web page can drive the gateway (non-browser clients send no Origin). With
 * SWITCHBOARD_ALLOWED_HOSTS set, the {@code Host} header must name one of those hosts too, which defeats a
 * rebound name even from an allowed page. Runs before authentication: a forged origin learns nothing.
 */
@Configuration(proxyBeanMethods = false)
public class OriginGuard {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> mcpOriginGuard(McpSettings settings) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new Guard(list(settings.allowedOrigins()), list(settings.allowedHosts())));
        registration.addUrlPatterns("/mcp", "/sse", "/messages", "/servers/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static Set<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The MCP transports' paths, at the root (the whole catalog) and under /servers/{id}. */
    private static final Set<String> MCP_PATHS = Set.of("/mcp", "/sse", "/messages");

    /** The check itself, on the MCP paths only. */
    static final class Guard extends OncePerRequestFilter {
        private final Set<String> origins;
        private final Set<String> hosts;

        Guard(Set<String> origins, Set<String> hosts) {
            this.origins = origins;
            this.hosts = hosts;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            String path = request.getRequestURI();
            return !MCP_PATHS.contains(path) && !(path.startsWith("/servers/") && MCP_PATHS.stream()
                    .anyMatch(path::endsWith));
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String origin = request.getHeader("Origin");
            if (origin != null && !origins.contains(origin.strip().toLowerCase(Locale.ROOT))) {
                refuse(response, "Forbidden: the Origin " + origin + " is not allowed (SWITCHBOARD_ALLOWED_ORIGINS)");
                return;
            }
            if (!hosts.isEmpty() && !hosts.contains(hostName(request.getHeader("Host")))) {
                refuse(response, "Forbidden: the Host is not one this gateway serves (SWITCHBOARD_ALLOWED_HOSTS)");
                return;
            }
            chain.doFilter(request, response);
        }

        /** "Example.com:8080" and "[::1]:8080" become "example.com" and "[::1]". */
        static String hostName(String host) {
            if (host == null) {
                return "";
            }
            String h = host.strip().toLowerCase(Locale.ROOT);
            int colon = h.lastIndexOf(':');
            return colon > h.lastIndexOf(']') ? h.substring(0, colon) : h;
        }

        private static void refuse(HttpServletResponse response, String message) throws IOException {
            response.setStatus(HttpStatus.FORBIDDEN.value());
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(JsonRpc.error(null, new JsonRpcException(JsonRpc.INVALID_REQUEST, message))
                    .toString());
        }
    }
}
