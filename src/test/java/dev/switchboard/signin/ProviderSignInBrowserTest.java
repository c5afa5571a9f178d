package dev.switchboard.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testing.BrowserSession;
import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.catalog.VirtualServer;
import dev.switchboard.catalog.VirtualServerRepository;
import dev.switchboard.catalog.Visibility;
import dev.switchboard.security.Caller;
import dev.switchboard.security.Scope;
import dev.switchboard.security.TeamAccess;
import dev.switchboard.users.TeamDirectory;
import dev.switchboard.users.User;
import dev.switchboard.users.UserDirectory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Sign in with &lt;provider&gt;" against a real OpenID Connect provider: a second Switchboard's built-in
 * authorization server, reached as {@code localhost} so that its session cookie and the first gateway's (on
 * 127.0.0.1) stay apart in the one browser. The provider's user is a local user there, in a team that its ID tokens
 * carry as a group, which the gateway maps to a team of its own.
 */
class ProviderSignInBrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = "provider-admin-password";
    private static final String DANA_PASSWORD = "danas-own-password";

    @Test
    void aUserSignedInAtTheProviderConsentsAndTheClientGetsItsCode(@TempDir Path directory) throws Exception {
        int gatewayPort = LoopbackPorts.free();
        HttpServer callback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        callback.createContext("/callback", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        callback.start();
        try (TestGateway provider = TestGateway.start(Map.of(
                "DATABASE_URL", "sqlite:///" + directory.resolve("provider.db"), "ADMIN_PASSWORD", PASSWORD))) {
            String issuer = "http://localhost:" + provider.port();
            HttpResponse<String> registered = provider.send("POST", "/oauth2/register", JSON.writeValueAsString(Map.of(
                    "redirect_uris", List.of("http://127.0.0.1:" + gatewayPort + "/login/oauth2/code/oidc"),
                    "token_endpoint_auth_method", "client_secret_basic", "client_name", "Switchboard gateway",
                    "grant_types", List.of("authorization_code"), "scope", "openid")));
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            JsonNode atProvider = JSON.readTree(registered.body());
            // At the provider: dana, a member of its team sre, which its ID tokens carry as a group.
            String admin = TestGateway.basic("admin", PASSWORD);
            HttpResponse<String> dana = provider.send("POST", "/v1/users", JSON.writeValueAsString(Map.of(
                    "username", "dana", "password", DANA_PASSWORD)), "Authorization", admin);
            assertThat(dana.statusCode()).as(dana.body()).isEqualTo(201);
            HttpResponse<String> sre = provider.send("POST", "/v1/teams", "{\"name\":\"sre\"}", "Authorization", admin);
            HttpResponse<String> joined = provider.send("PUT", "/v1/teams/" + JSON.readTree(sre.body()).get("id")
                    .asString() + "/members/" + JSON.readTree(dana.body()).get("id").asString(),
                    "{\"role\":\"viewer\"}", "Authorization", admin);
            assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);

            try (TestGateway gateway = TestGateway.start(Map.of(
                    "DATABASE_URL", "sqlite:///" + directory.resolve("gateway.db"),
                    "SWITCHBOARD_OIDC_ISSUER", issuer,
                    "SWITCHBOARD_OIDC_CLIENT_ID", atProvider.get("client_id").asString(),
                    "SWITCHBOARD_OIDC_CLIENT_SECRET", atProvider.get("client_secret").asString(),
                    "SWITCHBOARD_OIDC_NAME", "Test Provider",
                    "SWITCHBOARD_OIDC_TEAMS", "sre=ops:editor,nobody=ghosts"), Map.of("server.port", Integer.toString(gatewayPort)));
                 BrowserSession browser = BrowserSession.open()) {
                String base = "http://127.0.0.1:" + gatewayPort;
                String redirect = "http://127.0.0.1:" + callback.getAddress().getPort() + "/callback";
                HttpResponse<String> client = gateway.send("POST", "/oauth2/register", JSON.writeValueAsString(Map.of(
                        "redirect_uris", List.of(redirect), "token_endpoint_auth_method", "none",
                        "client_name", "Agent", "grant_types", List.of("authorization_code"), "scope", "mcp:use")));
                assertThat(client.statusCode()).as(client.body()).isEqualTo(201);
                String clientId = JSON.readTree(client.body()).get("client_id").asString();
                String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
                        .getInstance("SHA-256").digest("a-verifier-of-enough-length-0123456789abcdefgh"
                                .getBytes(StandardCharsets.US_ASCII)));

                String authorize = base + "/oauth2/authorize?response_type=code&client_id=" + clientId
                        + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                        + "&scope=mcp:use&state=via-provider&code_challenge=" + challenge
                        + "&code_challenge_method=S256";
                browser.go(authorize);
                assertThat(browser.await(By.id("provider")).getText()).isEqualTo("Sign in with Test Provider");
                // Beside the provider, the administrator's form: the first start generated a password.
                assertThat(browser.driver().findElements(By.id("username"))).hasSize(1);
                browser.find(By.id("provider")).click();

                browser.awaitUrlStartingWith(issuer + "/login");
                browser.await(By.id("username")).sendKeys("dana");
                browser.find(By.id("password")).sendKeys(DANA_PASSWORD);
                browser.find(By.id("sign-in")).click();

                browser.await(By.id("allow"));
                assertThat(browser.currentUrl()).startsWith(base + "/oauth2/consent");
                assertThat(browser.find(By.id("user")).getText()).isEqualTo("dana");
                browser.find(By.id("allow")).click();
                browser.awaitUrlStartingWith(redirect);
                assertThat(browser.currentUrl()).contains("code=").contains("state=via-provider");

                // The first sign-in made the provider's user a user of the gateway, named by issuer and subject.
                UserDirectory users = gateway.bean(UserDirectory.class);
                User user = users.list(null, 500).items().stream().filter(u -> u.kind() == User.Kind.OIDC).findFirst().orElseThrow();
                assertThat(user.issuer()).isEqualTo(issuer);
                assertThat(user.subject()).isEqualTo("dana");
                assertThat(user.username()).isEqualTo(issuer + "#dana");
                assertThat(user.platformAdmin()).isFalse();
                assertThat(user.lastSignInAt()).isNotNull();
                // Its group sre put it in the team ops, made for it, as the mapping says.
                List<TeamDirectory.TeamView> teams = gateway.bean(TeamDirectory.class)
                        .list(new Caller("admin", EnumSet.allOf(Scope.class), null));
                assertThat(teams).extracting(TeamDirectory.TeamView::name).containsExactly("default", "ops");
                TeamDirectory.TeamView ops = teams.get(1);
                assertThat(ops.members()).singleElement().satisfies(m -> {
                    assertThat(m.username()).isEqualTo(issuer + "#dana");
                    assertThat(m.role()).isEqualTo("editor");
                    assertThat(m.source()).isEqualTo("provider");
                });

                // The client's access token is dana's: it reaches a private server of her team, not another team's,
                // and not the whole catalog.
                String code = browser.currentUrl().replaceAll(".*[?&]code=([^&]+).*", "$1");
                HttpResponse<String> exchanged = gateway.send("POST", "/oauth2/token", "grant_type=authorization_code"
                        + "&code=" + code + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                        + "&client_id=" + clientId + "&code_verifier=a-verifier-of-enough-length-0123456789abcdefgh",
                        "Content-Type", "application/x-www-form-urlencoded");
                assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
                String bearer = "Bearer " + JSON.readTree(exchanged.body()).get("access_token").asString();
                VirtualServerRepository servers = gateway.bean(VirtualServerRepository.class);
                UUID opsServer = servers.create(privateServer("ops-tools", ops.id())).id();
                UUID otherServer = servers.create(privateServer("finance-tools", TeamAccess.DEFAULT_TEAM)).id();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(initialize(gateway, "/servers/" + opsServer + "/mcp", bearer).statusCode())
                                .isEqualTo(200));
                assertThat(initialize(gateway, "/servers/" + otherServer + "/mcp", bearer).statusCode())
                        .isEqualTo(404);
                assertThat(initialize(gateway, "/mcp", bearer).statusCode()).isEqualTo(403);

                // Once disabled, the provider's word is no longer enough.
                users.update(user.id(), JSON.readTree("{\"enabled\":false}"));
                try (BrowserSession second = BrowserSession.open()) {
                    second.go(authorize);
                    second.await(By.id("provider")).click();
                    second.awaitUrlStartingWith(issuer + "/login");
                    second.await(By.id("username")).sendKeys("dana");
                    second.find(By.id("password")).sendKeys(DANA_PASSWORD);
                    second.find(By.id("sign-in")).click();
                    second.awaitUrlStartingWith(base + "/login?provider_error");
                }
            }
        } finally {
            callback.stop(0);
        }
    }

    private static VirtualServer privateServer(String name, UUID team) {
        return new VirtualServer(null, name, null, null, null, true, Set.of(), team, Visibility.PRIVATE, null, null,
                null, null, 0);
    }

    private static HttpResponse<String> initialize(TestGateway gateway, String path, String bearer)
            throws Exception {
        return gateway.send("POST", path, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
                 "capabilities":{},"clientInfo":{"name":"dana","version":"1"}}}""", "Authorization", bearer,
                "Accept", "application/json, text/event-stream", "MCP-Protocol-Version", "2025-06-18",
                "Content-Type", "application/json");
    }
}
