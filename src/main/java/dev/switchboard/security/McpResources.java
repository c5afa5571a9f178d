package dev.switchboard.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MCP endpoints as OAuth resources: which endpoint a request is for, as the path that, after the base URL,
 * makes the endpoint's canonical URI ({@code /mcp}, {@code /servers/{id}/mcp}, {@code /sse},
 * {@code /servers/{id}/sse}). The legacy transport's POST path ({@code /messages}) belongs to its SSE endpoint.
 */
public final class McpResources {

    /** Where protected resource metadata is served; the endpoint's path follows it. */
    public static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    private static final Pattern ENDPOINT = Pattern.compile("(/servers/[^/]+)?/(mcp|sse|messages)");

    private McpResources() {
    }

    /** The endpoint path {@code request} is for, or empty off the MCP endpoints. */
    public static Optional<String> of(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri == null) {
            return Optional.empty();
        }
        String path = context != null && !context.isEmpty() && uri.startsWith(context)
                ? uri.substring(context.length()) : uri;
        return of(path);
    }

    /** The endpoint path for a request path, or empty off the MCP endpoints. */
    public static Optional<String> of(String path) {
        var match = ENDPOINT.matcher(path);
        if (!match.matches()) {
            return Optional.empty();
        }
        String server = match.group(1) == null ? "" : match.group(1);
        String kind = match.group(2).equals("mcp") ? "mcp" : "sse";
        return Optional.of(server + "/" + kind);
    }
}
