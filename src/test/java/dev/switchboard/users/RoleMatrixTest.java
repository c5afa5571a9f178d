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
 * is refused (403) exactly where the route needs a scope members do not hold, and, a member of no team, changes
 * nothing of the catalog; a disabled user gets 401 everywhere;
 * a credential with no scope gets 403 everywhere. Each caller's JWT claims every scope, so what they get is their
 * user's rights, not their token's. The routes that name one catalog entry, and those that name one team, are
 * checked again for each role in that team.
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
                    // A member of no team holds catalog:write but edits nothing: never a success there.
                    case "member" -> needed == Scope.CATALOG_WRITE ? status != 401 && (status < 200 || status > 299)
                            : User.MEMBER_SCOPES.contains(needed) ? status != 401 && status != 403 : status == 403;
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

    /**
     * Every route that names one catalog entry (found at run time, like the routes above), for each role in the
     * entry's team and for strangers, on a fresh private entry each time: a viewer reads and is refused every change
     * (403); an editor and an owner are refused nothing; an editor of another team and a user of no team are told
     * the entry does not exist (404), whatever they ask.
     */
    @EngineTest
    void everyEntryRouteAnswersEachTeamRoleAsItsRoleSays(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String team = id(admin.post("/v1/teams", Map.of("name", "matrix-" + run)));
        String other = id(admin.post("/v1/teams", Map.of("name", "other-" + run)));
        String[] all = EnumSet.allOf(Scope.class).stream().map(Scope::value).toArray(String[]::new);
        Map<String, Client> callers = new LinkedHashMap<>();
        for (String role : List.of("viewer", "editor", "owner")) {
            callers.put(role, gateway.as(member(admin, role + "-" + run, team, role), all));
        }
        callers.put("editor of another team", gateway.as(member(admin, "outsider-" + run, other, "editor"), all));
        callers.put("user of no team", gateway.as(user(admin, "loner-" + run, Map.of()), all));

        List<String> entryRoutes = routes(gateway).stream()
                .filter(r -> r.matches("[A-Z]+ /v1/(gateways|tools|resources|prompts|servers)/\\{id}.*")).toList();
        assertThat(entryRoutes).as("the scan must see the routes it checks").contains("GET /v1/tools/{id}",
                "PATCH /v1/gateways/{id}", "POST /v1/gateways/{id}/refresh", "DELETE /v1/servers/{id}",
                "PUT /v1/servers/{id}/{kind:tools|resources|prompts}");
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (String route : entryRoutes) {
            String method = route.substring(0, route.indexOf(' '));
            String pattern = route.substring(route.indexOf(' ') + 1);
            String collection = pattern.split("/")[2];
            boolean read = method.equals("GET") || method.equals("HEAD");
            boolean namesAMember = pattern.contains("{memberId}");
            for (Map.Entry<String, Client> caller : callers.entrySet()) {
                String entry = id(admin.post("/v1/" + collection, sample(collection, "m" + run + "-" + n++, team)));
                String path = pattern.replace("{id}", entry).replace("{kind:tools|resources|prompts}", "tools")
                        .replace("{memberId}", UUID.randomUUID().toString());
                int status = caller.getValue().send(method, path, read || method.equals("DELETE") ? null : "{}",
                        Map.of()).status();
                boolean fine = switch (caller.getKey()) {
                    case "viewer" -> read ? status != 401 && status != 403 && status != 404 : status == 403;
                    case "editor", "owner" -> status != 401 && status != 403 && (namesAMember || status != 404);
                    default -> status == 404;
                };
                if (!fine) {
                    wrong.add(caller.getKey() + ": " + method + " " + pattern + " -> " + status);
                }
            }
        }
        assertThat(wrong).as("answers that do not follow the caller's role in the entry's team").isEmpty();
    }

    /**
     * Every route that names one team (found at run time), for each role in it and for strangers: a viewer and an
     * editor read it and are refused every change (403); an owner changes it and its members but is refused its
     * deletion, which is for platform administrators; an owner of another team and a user of no team are told it does
     * not exist (404), whatever they ask.
     */
    @EngineTest
    void everyTeamRouteAnswersEachTeamRoleAsItsRoleSays(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        Client admin = gateway.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] all = EnumSet.allOf(Scope.class).stream().map(Scope::value).toArray(String[]::new);
        List<String> teamRoutes = routes(gateway).stream().filter(r -> r.matches("[A-Z]+ /v1/teams/\\{id}.*"))
                .toList();
        assertThat(teamRoutes).as("the scan must see the routes it checks").contains("GET /v1/teams/{id}",
                "PATCH /v1/teams/{id}", "DELETE /v1/teams/{id}", "PUT /v1/teams/{id}/members/{userId}");
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (String route : teamRoutes) {
            String method = route.substring(0, route.indexOf(' '));
            String pattern = route.substring(route.indexOf(' ') + 1);
            boolean read = method.equals("GET") || method.equals("HEAD");
            boolean namesAUser = pattern.contains("{userId}");
            // A fresh team and callers for each route, so that no answer depends on an earlier route's change.
            String suffix = run + "-" + n++;
            String team = id(admin.post("/v1/teams", Map.of("name", "roles-" + suffix)));
            String other = id(admin.post("/v1/teams", Map.of("name", "elsewhere-" + suffix)));
            Map<String, Client> callers = new LinkedHashMap<>();
            for (String role : List.of("viewer", "editor", "owner")) {
                callers.put(role, gateway.as(member(admin, role + "-" + suffix, team, role), all));
            }
            callers.put("owner of another team", gateway.as(member(admin, "stranger-" + suffix, other, "owner"),
                    all));
            callers.put("user of no team", gateway.as(user(admin, "alone-" + suffix, Map.of()), all));
            String bystander = id(admin.post("/v1/users", Map.of("username", "bystander-" + suffix,
                    "password", PASSWORD)));
            String path = pattern.replace("{id}", team).replace("{userId}", bystander);
            for (Map.Entry<String, Client> caller : callers.entrySet()) {
                int status = caller.getValue().send(method, path, read || method.equals("DELETE") ? null : "{}",
                        Map.of()).status();
                boolean fine = switch (caller.getKey()) {
                    case "viewer", "editor" -> read ? status == 200 : status == 403;
                    case "owner" -> pattern.equals("/v1/teams/{id}") && method.equals("DELETE") ? status == 403
                            : status != 401 && status != 403 && (namesAUser || status != 404);
                    default -> status == 404;
                };
                if (!fine) {
                    wrong.add(caller.getKey() + ": " + method + " " + pattern + " -> " + status);
                }
            }
        }
        assertThat(wrong).as("answers that do not follow the caller's role in the team").isEmpty();
    }

    /** A valid body for a new entry of {@code collection} owned by {@code team}; servers are private. */
    private static Map<String, Object> sample(String collection, String name, String team) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("teamId", team);
        switch (collection) {
            case "gateways" -> body.put("url", "http://127.0.0.1:9/mcp");
            case "tools" -> body.put("request", Map.of("method", "GET", "url", "http://127.0.0.1:9/"));
            case "resources" -> {
                body.put("uri", "docs://matrix/" + name);
                body.put("text", "hello");
            }
            case "prompts" -> body.put("template", "Hello");
            case "servers" -> body.put("visibility", "private");
            default -> throw new IllegalArgumentException(collection);
        }
        return body;
    }

    private static String member(Client admin, String name, String team, String role) {
        String userId = id(admin.post("/v1/users", Map.of("username", name, "password", PASSWORD)));
        assertThat(admin.put("/v1/teams/" + team + "/members/" + userId, Map.of("role", role), null).status())
                .isEqualTo(200);
        return name;
    }

    private static String id(GatewayUnderTest.Reply created) {
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.id();
    }

    /** The scope a route needs, as docs/security.md and docs/users.md say. */
    private static Scope needed(String method, String pattern) {
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (pattern.startsWith("/v1/users") || pattern.startsWith("/v1/audit")
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
