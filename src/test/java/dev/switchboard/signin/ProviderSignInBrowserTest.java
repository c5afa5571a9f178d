package dev.switchboard.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testing.BrowserSession;
import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.security.Caller;
import dev.switchboard.security.Scope;
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
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
                User user = users.list().stream().filter(u -> u.kind() == User.Kind.OIDC).findFirst().orElseThrow();
                assertThat(user.issuer()).isEqualTo(issuer);
                assertThat(user.subject()).isEqualTo("dana");
                assertThat(user.username()).isEqualTo(issuer + "#dana");
                assertThat(user.platformAdmin()).isFalse();
                assertThat(user.lastSignInAt()).isNotNull();
                // Its group sre put it in the team ops, made for it, as the mapping says.
                List<TeamDirectory.TeamView> teams = gateway.bean(TeamDirectory.class)
                        .list(new Caller("admin", EnumSet.allOf(Scope.class), null));
                assertThat(teams).extracting(TeamDirectory.TeamView::name).containsExactly("ops");
                assertThat(teams.getFirst().members()).singleElement().satisfies(m -> {
                    assertThat(m.username()).isEqualTo(issuer + "#dana");
                    assertThat(m.role()).isEqualTo("editor");
                    assertThat(m.source()).isEqualTo("provider");
                });

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
}
