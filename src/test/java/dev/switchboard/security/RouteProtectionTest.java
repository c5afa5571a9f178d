package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.TestEngines;
import dev.switchboard.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Every route the application maps, found at run time (controllers, actuator endpoints, the API
 * description and its page, static resources), answers 401 to every method without credentials, except GET /health and
 * GET /ready, the protected resource metadata (RFC 9728), which is public by design, and the sign-in pages and the
 * console, which send a signed-out browser to /login and refuse writes without a CSRF token. A 401 on an MCP endpoint
 * carries the MCP authorization spec's challenge (resource_metadata, scope); every other 401 the plain one.
 * Routes that others add later are found the same way, so they are covered without touching this test.
 */
@ExtendWith(OutputCaptureExtension.class)
class RouteProtectionTest {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Set<String> PUBLIC = Set.of("GET /health", "GET /ready");
    /** Paths nothing maps: they must answer 401 too, not 404, so that an anonymous caller learns nothing. */
    private static final List<String> UNMAPPED = List.of("/no-such-page", "/v1/no-such-thing", "/metrics/no-such",
            "/openapi.json", "/docs", "/v1/export", "/v1/import", "/.well-known/no-such-document");
    private static final String METADATA = McpResources.METADATA_PATH;

    @Test
    void withoutCredentialsEveryMappedRouteAndMethodAnswers401ExceptHealthAndReady() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("DATABASE_URL", sqliteUrl(),
                "ADMIN_PASSWORD", "route-scan-password"))) {
            Set<String> patterns = mappedPatterns(gateway.context());
            // The scan must see the routes it is meant to protect, or it would prove nothing.
            assertThat(patterns).contains("/health", "/ready", "/metrics/prometheus", "/v1/tokens", "/v1/tokens/{id}",
                    "/mcp", "/servers/{serverId}/mcp", "/v1/gateways/{id}/refresh", "/error",
                    "/openapi.json", "/docs", "/docs/**", METADATA, METADATA + "/servers/{serverId}/mcp", "/admin",
                    "/admin/tokens", "/admin/tokens/{id}/revoke");

            List<String> paths = new ArrayList<>(patterns.stream().map(RouteProtectionTest::concrete).toList());
            paths.addAll(UNMAPPED);
            List<String> wrong = new ArrayList<>();
            int checked = 0;
            for (String path : paths) {
                for (String method : METHODS) {
                    HttpResponse<String> response = gateway.send(method, path, null);
                    checked++;
                    String route = method + " " + path;
                    if (path.startsWith(METADATA)) {
                        // Public: GET answers (404 for the unknown server "x"), other methods are not allowed.
                        int status = response.statusCode();
                        boolean fine = method.equals("GET") || method.equals("HEAD")
                                ? status == 200 || (status == 404 && path.contains("/servers/"))
                                : status == 405 || (method.equals("OPTIONS") && status == 200);
                        if (!fine) {
                            wrong.add(route + " -> " + status + " (metadata is public)");
                        }
                    } else if (path.equals("/login") || path.startsWith("/login/") || path.startsWith("/oauth2/")) {
                        // The sign-in pages (the authorization server's chain, with a session): the login page is
                        // public; the provider button redirects; the consent page wants a signed-in user; a write
                        // without the form's CSRF token is refused. Nothing there answers 2xx to an unsafe method.
                        int status = response.statusCode();
                        boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
                        boolean fine = path.equals("/login") && safe ? status == 200
                                : safe ? status == 302 || status == 401 || (method.equals("OPTIONS") && status == 200)
                                : status == 403 || status == 405;
                        if (!fine) {
                            wrong.add(route + " -> " + status + " (a sign-in page)");
                        }
                    } else if (path.equals("/admin") || path.startsWith("/admin/")) {
                        // The console (the same chain and session): a signed-out browser is sent to sign in, and a
                        // write without a session's CSRF token is refused before anything runs.
                        int status = response.statusCode();
                        boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
                        boolean fine = safe ? status == 302 && response.headers().firstValue("Location").orElse("")
                                .endsWith("/login") : status == 403;
                        if (!fine) {
                            wrong.add(route + " -> " + status + " (a console page)");
                        }
                    } else if (PUBLIC.contains(route)) {
                        if (response.statusCode() != 200) {
                            wrong.add(route + " -> " + response.statusCode() + " (expected 200)");
                        }
                    } else if (response.statusCode() != 401
                            || !response.headers().firstValue("Content-Type").orElse("")
                                    .startsWith("application/problem+json")
                            || !response.headers().allValues("WWW-Authenticate")
                                    .containsAll(List.of(bearerChallenge(gateway, path),
                                            "Basic realm=\"switchboard\", charset=\"UTF-8\""))) {
                        wrong.add(route + " -> " + response.statusCode() + " " + response.headers().map());
                    }
                }
            }
            assertThat(wrong).as("routes that did not answer as expected, of %d requests", checked).isEmpty();
        }
    }

    @Test
    void withNoLoginConfiguredTheGatewayWarnsOnceAndStillServesHealthAndReadiness(CapturedOutput output)
            throws Exception {
        // Without ADMIN_PASSWORD the administrator has a generated one; with HTTP Basic off, nothing is left.
        try (TestGateway gateway = TestGateway.start(Map.of("DATABASE_URL", sqliteUrl(),
                "SWITCHBOARD_BASIC_AUTH_ENABLED", "false"))) {
            assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
            assertThat(gateway.get("/ready").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = gateway.get("/metrics/prometheus");
            assertThat(metrics.statusCode()).isEqualTo(401);
            assertThat(metrics.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"switchboard\"");
            assertThat(metrics.body()).contains("\"type\":\"https://switchboard.dev/problems/unauthorized\"");
        }
        assertThat(output.getOut().lines().filter(l -> l.contains("No login is configured")).toList())
                .singleElement().asString()
                .contains("WARN").contains("SWITCHBOARD_BASIC_AUTH_ENABLED").contains("JWT_SECRET")
                .contains("JWT_PUBLIC_KEY")
                .contains("JWT_JWKS_URL");
        assertThat(output.getAll()).doesNotContain("Using generated security password");
    }

    /** The Bearer challenge a 401 on {@code path} carries: on an MCP endpoint, where its metadata is. */
    private static String bearerChallenge(TestGateway gateway, String path) {
        return McpResources.of(path)
                .map(endpoint -> "Bearer resource_metadata=\"http://127.0.0.1:" + gateway.port() + METADATA + endpoint
                        + "\", scope=\"mcp:use\"")
                .orElse("Bearer realm=\"switchboard\"");
    }

    /** Every path pattern that some handler mapping of the running application serves. */
    private static Set<String> mappedPatterns(ApplicationContext context) {
        Set<String> patterns = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping
                : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            mapping.getHandlerMethods().keySet().forEach(info -> patterns.addAll(info.getPatternValues()));
        }
        for (AbstractUrlHandlerMapping mapping : context.getBeansOfType(AbstractUrlHandlerMapping.class).values()) {
            patterns.addAll(mapping.getHandlerMap().keySet());
            mapping.getPathPatternHandlerMap().keySet().stream().map(PathPattern::getPatternString)
                    .forEach(patterns::add);
        }
        // Functional routes cannot be listed; if someone adds one, extend this scan to cover it.
        for (RouterFunctionMapping mapping : context.getBeansOfType(RouterFunctionMapping.class).values()) {
            assertThat(mapping.getRouterFunction()).as("functional routes are not scanned").isNull();
        }
        return patterns;
    }

    /** A request path that the pattern matches: every variable and wildcard becomes "x". */
    private static String concrete(String pattern) {
        String path = pattern.replaceAll("\\{[^/]*}", "x").replace("**", "x").replace("*", "x");
        return path.isEmpty() ? "/" : path;
    }

    private static String sqliteUrl() {
        return TestEngines.scratchDatabaseUrl();
    }
}
