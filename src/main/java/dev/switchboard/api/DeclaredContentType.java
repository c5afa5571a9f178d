package dev.switchboard.api;

import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A Content-Type that names no type ({@code *}{@code /*}, {@code application/*}) or cannot be parsed is refused with
 * 415 before any handler reads it: Spring's message reading fails on a wildcard with an exception of its own, which
 * was a 500. Every other type is the handlers' to judge. Runs after authentication.
 */
@Configuration(proxyBeanMethods = false)
public class DeclaredContentType {

    /** After authentication, and after the MCP endpoints' own check, which answers in JSON-RPC. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 10;

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> declaredContentTypeCheck() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new Check());
        registration.setOrder(ORDER);
        return registration;
    }

    /** Why {@code contentType} is no media type a body can have, or null when it is one (or absent). */
    public static String fault(String contentType) {
        if (contentType == null) {
            return null;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return "The Content-Type header is not a media type; send application/json";
        }
        if (type.isWildcardType() || type.isWildcardSubtype()) {
            return "The Content-Type may not be a wildcard; send application/json";
        }
        return null;
    }

    private static final class Check extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String fault = fault(request.getContentType());
            if (fault != null) {
                Problems.write(response, Problems.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, fault));
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
