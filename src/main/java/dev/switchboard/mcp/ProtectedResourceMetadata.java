package dev.switchboard.mcp;

import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import dev.switchboard.security.AuthorizationServers;
import dev.switchboard.security.McpResources;
import dev.switchboard.security.PublicUrl;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for each MCP endpoint, served without credentials at
 * {@code /.well-known/oauth-protected-resource} followed by the endpoint's path: which authorization servers issue
 * tokens for it and which scope to ask for. A 401 on an MCP endpoint points here; docs/authorization.md has the flow.
 */
@Hidden // Discovery for OAuth clients, described in docs/authorization.md; the OpenAPI document is the registry API's.
@RestController
class ProtectedResourceMetadata {

    /** Metadata changes only when the operator changes settings or deletes a server: clients may keep it a while. */
    private static final CacheControl CACHE = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();

    private final PublicUrl publicUrl;
    private final AuthorizationServers servers;
    private final CatalogViews views;

    ProtectedResourceMetadata(PublicUrl publicUrl, AuthorizationServers servers, CatalogViews views) {
        this.publicUrl = publicUrl;
        this.servers = servers;
        this.views = views;
    }

    /** The gateway as a whole: the resource a token for every endpoint names. */
    @GetMapping(McpResources.METADATA_PATH)
    ResponseEntity<?> gateway(HttpServletRequest request) {
        return describe(request, "");
    }

    @GetMapping({McpResources.METADATA_PATH + "/mcp", McpResources.METADATA_PATH + "/sse"})
    ResponseEntity<?> wholeCatalog(HttpServletRequest request) {
        return describe(request, request.getRequestURI().endsWith("/sse") ? "/sse" : "/mcp");
    }

    @GetMapping({McpResources.METADATA_PATH + "/servers/{serverId}/mcp",
            McpResources.METADATA_PATH + "/servers/{serverId}/sse"})
    ResponseEntity<?> server(@PathVariable String serverId, HttpServletRequest request) {
        if (views.of(serverId).isEmpty()) {
            return problem(Problems.of(ProblemType.NOT_FOUND, "No enabled virtual server has the id '"
                    + (serverId.length() > 64 ? serverId.substring(0, 64) + "..." : serverId) + "'"));
        }
        String kind = request.getRequestURI().endsWith("/sse") ? "sse" : "mcp";
        return describe(request, "/servers/" + serverId + "/" + kind);
    }

    private ResponseEntity<?> describe(HttpServletRequest request, String endpoint) {
        Optional<URI> base = publicUrl.baseFor(request);
        if (base.isEmpty()) {
            return problem(Problems.of(ProblemType.PUBLIC_URL_UNKNOWN, "This gateway does not know its public URL, "
                    + "so it cannot name its resources to a request that does not come from this machine: the "
                    + "operator sets SWITCHBOARD_PUBLIC_URL (see docs/authorization.md)"));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        String resource = PublicUrl.join(base.get(), endpoint);
        metadata.put("resource", resource);
        List<String> issuers = servers.issuersFor(base.get());
        if (!issuers.isEmpty()) {
            metadata.put("authorization_servers", issuers);
        }
        metadata.put("scopes_supported", servers.scopesSupported(resource));
        metadata.put("bearer_methods_supported", List.of("header"));
        metadata.put("resource_name", "Switchboard MCP gateway");
        return ResponseEntity.ok().cacheControl(CACHE).contentType(MediaType.APPLICATION_JSON).body(metadata);
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
