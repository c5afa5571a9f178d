package dev.switchboard.mcp;

import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.switchboard.replicas.ReplicaLink;
import dev.switchboard.security.PublicUrl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
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
 * sends {@code Origin}; the gateway serves a page on a loopback host (unless SWITCHBOARD_ALLOW_LOOPBACK_ORIGINS is
 * false), a page at its own public URL (SWITCHBOARD_PUBLIC_URL) and the pages on SWITCHBOARD_ALLOWED_ORIGINS, and
 * refuses every other Origin with 403, as the official SDKs do. The request's own {@code Host} never vouches for
 * its Origin: after a rebinding the attacker's name is both. Non-browser clients send no Origin and pass. With
 * SWITCHBOARD_ALLOWED_HOSTS set, the {@code Host} header must name one of those hosts too, which defeats a
 * rebound name even from an allowed page. Runs before authentication: a forged origin learns nothing.
 */
@Configuration(proxyBeanMethods = false)
public class OriginGuard {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> mcpOriginGuard(McpSettings settings, PublicUrl publicUrl) {
        Set<String> origins = new HashSet<>(list(settings.allowedOrigins()).stream().map(Guard::origin).toList());
        publicUrl.configured().map(URI::toString).map(Guard::origin).ifPresent(origins::add);
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new Guard(Set.copyOf(origins), settings.allowLoopbackOrigins(), list(settings.allowedHosts())));
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
        private final boolean loopbackOrigins;
        private final Set<String> hosts;

        Guard(Set<String> origins, boolean loopbackOrigins, Set<String> hosts) {
            this.origins = origins;
            this.loopbackOrigins = loopbackOrigins;
            this.hosts = hosts;
        }

        /** Whether a request that names {@code origin} may be served. */
        boolean allows(String origin) {
            String normal = origin(origin);
            return origins.contains(normal) || (loopbackOrigins && isLoopback(normal));
        }

        /**
         * {@code origin} as RFC 6454 serializes it: lower case, with no default port, path or trailing slash
         * ("HTTPS://App.Example:443/" becomes "https://app.example"). Anything that is not an http(s) URL with a
         * host ("null", garbage) comes back lower-cased as it is, which matches only a listed entry spelt the same.
         */
        static String origin(String origin) {
            String text = origin.strip().toLowerCase(Locale.ROOT);
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme();
                String host = uri.getHost();
                if (host == null || uri.getRawUserInfo() != null
                        || !("http".equals(scheme) || "https".equals(scheme))) {
                    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
                }
                int port = uri.getPort();
                boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80)
                        || ("https".equals(scheme) && port == 443);
                return scheme + "://" + host + (defaultPort ? "" : ":" + port);
            } catch (URISyntaxException e) {
                return text;
            }
        }

        /**
         * Whether a serialized origin is on a loopback host: the name localhost, or an IP literal in 127.0.0.0/8 or
         * ::1. Only literals count (no name is ever resolved), and a name that merely starts with one
         * ("127.0.0.1.evil.example") is a foreign name.
         */
        static boolean isLoopback(String normalOrigin) {
            try {
                URI uri = new URI(normalOrigin);
                String host = uri.getHost();
                if (host == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    return false;
                }
                if (host.equals("localhost")) {
                    return true;
                }
                if (host.startsWith("[") && host.endsWith("]")) {
                    return InetAddress.getByName(host.substring(1, host.length() - 1)).isLoopbackAddress();
                }
                return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") && InetAddress.getByName(host).isLoopbackAddress();
            } catch (URISyntaxException | UnknownHostException | IllegalArgumentException e) {
                return false;
            }
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
            if (origin != null && !allows(origin)) {
                refuse(response, "Forbidden: the Origin " + origin + " is not allowed (only loopback pages, the "
                        + "gateway's SWITCHBOARD_PUBLIC_URL and SWITCHBOARD_ALLOWED_ORIGINS are)");
                return;
            }
            // A message another replica passes on names that replica's address: its signature, which the endpoint
            // checks before anything else, vouches for it instead.
            if (!hosts.isEmpty() && !hosts.contains(hostName(request.getHeader("Host"))) && !passedOn(request)) {
                refuse(response, "Forbidden: the Host is not one this gateway serves (SWITCHBOARD_ALLOWED_HOSTS)");
                return;
            }
            chain.doFilter(request, response);
        }

        /** A POST to a Streamable HTTP endpoint that claims to be passed on by another replica. */
        private static boolean passedOn(HttpServletRequest request) {
            return "POST".equals(request.getMethod()) && request.getRequestURI().endsWith("/mcp")
                    && request.getHeader(ReplicaLink.HEADER) != null;
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
