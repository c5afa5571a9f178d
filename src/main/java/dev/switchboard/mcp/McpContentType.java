package dev.switchboard.mcp;

import dev.switchboard.api.DeclaredContentType;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A POST of MCP messages (to /mcp, /servers/{id}/mcp and the legacy /messages) carries JSON-RPC, so a body declared
 * as anything but JSON is refused with 415 and a JSON-RPC error whose id is null, as the transport answers every
 * message it cannot take. A POST without Content-Type is read as JSON, as before. Runs after authentication.
 */
@Configuration(proxyBeanMethods = false)
public class McpContentType {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> mcpContentTypeCheck() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new Check());
        registration.addUrlPatterns("/mcp", "/messages", "/servers/*");
        registration.setOrder(DeclaredContentType.ORDER - 10);
        return registration;
    }

    /** Whether {@code contentType} (a parsed, non-wildcard type) is JSON: application/json or application/*+json. */
    static boolean json(MediaType type) {
        String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
        return type.getType().equalsIgnoreCase("application") && (subtype.equals("json") || subtype.endsWith("+json"));
    }

    private static final class Check extends OncePerRequestFilter {

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            String path = request.getRequestURI();
            return !"POST".equals(request.getMethod()) || !(path.equals("/mcp") || path.equals("/messages")
                    || path.startsWith("/servers/") && (path.endsWith("/mcp") || path.endsWith("/messages")));
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String contentType = request.getContentType();
            if (contentType != null) {
                String fault = DeclaredContentType.fault(contentType);
                if (fault == null && !json(MediaType.parseMediaType(contentType))) {
                    fault = "The Content-Type must be application/json";
                }
                if (fault != null) {
                    response.setStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value());
                    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                    response.getWriter().write(JsonRpc.error(null, new JsonRpcException(JsonRpc.INVALID_REQUEST,
                            "Unsupported media type: " + fault)).toString());
                    return;
                }
            }
            chain.doFilter(request, response);
        }
    }
}
