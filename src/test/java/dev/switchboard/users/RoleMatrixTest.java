package dev.switchboard.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.security.Scope;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.GatewayUnderTest.Client;
import dev.switchboard.testing.TestEngine;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every /v1 route and method the application maps, found at run time (so a route added later is covered without
 * editing this test), for each kind of caller, on every engine: a platform administrator is never refused; a member
 * is refused (403) exactly where the route needs a scope members do not hold; a disabled user gets 401 everywhere;
 * a credential with no scope gets 403 everywhere. Each caller's JWT claims every scope, so what they get is their
 * user's rights, not their token's.
 */
class RoleMatrixTest {

    private static final String PASSWORD = "a-long-enough-password";

    @EngineTest
    void everyRouteAnswersEachRoleAsItsRightsSay(TestEngine engine) {
        // A gateway of its own: the disabled user's hundreds of 401s would trip the shared one's failed-login limit.
        try (GatewayUnderTest gateway = GatewayUnderTest.start(engine.newDatabaseUrl(),
                Map.of("SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "100000"))) {
            check(gateway);
        }
    }

    private static void check(GatewayUnderTest gateway) {
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] all = EnumSet.allOf(Scope.class).stream().map(Scope::value).toArray(String[]::new);
        Map<String, Client> callers = new LinkedHashMap<>();
        callers.put("platform administrator", gateway.as(user(admin, "padmin-" + run, Map.of("platformAdmin", true)),
                all));
        callers.put("member", gateway.as(user(admin, "member-" + run, Map.of()), all));
        callers.put("disabled user", gateway.as(user(admin, "disabled-" + run, Map.of("enabled", false)), all));
        callers.put("no scope", gateway.as("stranger-" + run, "openid"));

        Set<String> routes = routes(gateway);
        assertThat(routes).as("the scan must see the routes it checks")
                .contains("GET /v1/users", "PATCH /v1/users/{id}", "PUT /v1/teams/{id}/members/{userId}",
                        "GET /v1/audit", "POST /v1/tokens", "GET /v1/tools", "POST /v1/import");
        List<String> wrong = new ArrayList<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String pattern = route.substring(route.indexOf(' ') + 1);
            String path = pattern.replaceAll("\\{[^/]*}", "x");
            Scope needed = needed(method, pattern);
            callers.forEach((who, client) -> {
                int status = client.send(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}",
                        Map.of()).status();
                boolean fine = switch (who) {
                    case "platform administrator" -> status != 401 && status != 403;
                    case "member" -> User.MEMBER_SCOPES.contains(needed) ? status != 401 && status != 403
                            : status == 403;
                    case "disabled user" -> status == 401;
                    default -> status == 403;
                };
                if (!fine) {
                    wrong.add(who + ": " + method + " " + path + " -> " + status + " (needs " + needed.value() + ")");
                }
            });
        }
        assertThat(wrong).as("answers that do not follow the caller's rights").isEmpty();
    }

    /** The scope a route needs, as docs/security.md and docs/users.md say. */
    private static Scope needed(String method, String pattern) {
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (pattern.startsWith("/v1/users") || pattern.startsWith("/v1/audit")
                || pattern.equals("/v1/export") || pattern.equals("/v1/import")
                || (pattern.equals("/v1/teams") && method.equals("POST"))) {
            return Scope.ADMIN;
        }
        if (pattern.startsWith("/v1/tokens")) {
            return Scope.TOKENS;
        }
        if (pattern.startsWith("/v1/teams") || read) {
            return Scope.CATALOG_READ;
        }
        return Scope.CATALOG_WRITE;
    }

    private static Set<String> routes(GatewayUnderTest gateway) {
        Set<String> routes = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : gateway.context()
                .getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            mapping.getHandlerMethods().keySet().forEach(info -> {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    if (pattern.startsWith("/v1/")) {
                        (methods.isEmpty() ? EnumSet.of(RequestMethod.GET) : methods)
                                .forEach(m -> routes.add(m.name() + " " + pattern));
                    }
                }
            });
        }
        return routes;
    }

    private static String user(Client admin, String name, Map<String, Object> flags) {
        Map<String, Object> body = new LinkedHashMap<>(flags);
        body.put("username", name);
        body.put("password", PASSWORD);
        assertThat(admin.post("/v1/users", body).status()).isEqualTo(201);
        return name;
    }
}
