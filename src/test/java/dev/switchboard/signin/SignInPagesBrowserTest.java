package dev.switchboard.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testing.BrowserSession;
import dev.switchboard.testing.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built-in authorization server's login and consent pages in headless Chromium: a wrong password is one error
 * that names no user, the form needs its CSRF token, the consent page names the client, the virtual server and the
 * scopes, Allow and Deny answer the client's redirect URI, and a remembered consent is not asked again.
 */
class SignInPagesBrowserTest {

    private static final String PASSWORD = "browser-test-password";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path directory;
    private static TestGateway gateway;
    private static HttpServer callback;
    private static String base;
    private static String serverId;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        gateway = TestGateway.start(Map.of("DATABASE_URL", "sqlite:///" + directory.resolve("registry.db"),
                "ADMIN_PASSWORD", PASSWORD, "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "1000"));
        base = "http://127.0.0.1:" + gateway.port();
        // The MCP client's redirect URI: a page on loopback that only says it was reached.
        callback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        callback.createContext("/callback", exchange -> {
            byte[] body = "<html><body><p id=\"callback\">back at the client</p></body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        callback.start();
        HttpResponse<String> created = gateway.send("POST", "/v1/servers", "{\"name\": \"weather-tools\"}",
                "Authorization", TestGateway.basic("admin", PASSWORD));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        serverId = JSON.readTree(created.body()).get("id").asString();
    }

    @AfterAll
    static void stop() {
        if (callback != null) {
            callback.stop(0);
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String redirectUri() {
        return "http://127.0.0.1:" + callback.getAddress().getPort() + "/callback";
    }

    private static String register(String name) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("redirect_uris", java.util.List.of(redirectUri()),
                "token_endpoint_auth_method", "none", "client_name", name,
                "grant_types", java.util.List.of("authorization_code", "refresh_token"),
                "scope", "mcp:use offline_access"));
        HttpResponse<String> response = gateway.send("POST", "/oauth2/register", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("client_id").asString();
    }

    private static String authorizeUrl(String clientId, String state) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", clientId);
        parameters.put("redirect_uri", redirectUri());
        parameters.put("scope", "mcp:use offline_access");
        parameters.put("state", state);
        parameters.put("code_challenge", challenge("verifier-" + state + "-0123456789012345678901234567890123"));
        parameters.put("code_challenge_method", "S256");
        parameters.put("resource", base + "/servers/" + serverId + "/mcp");
        return base + "/oauth2/authorize?" + parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String challenge(String verifier) {
        try {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void signIn(BrowserSession browser, String user, String password) {
        browser.await(By.id("username")).sendKeys(user);
        browser.find(By.id("password")).sendKeys(password);
        browser.submit(By.id("sign-in"));
    }

    private static Map<String, String> query(String url) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    @Test
    void aWrongPasswordOrUserIsOneErrorAndTheFormCarriesACsrfToken() throws Exception {
        String clientId = register("Login Test Client");
        try (BrowserSession browser = BrowserSession.open()) {
            browser.go(authorizeUrl(clientId, "login-1"));
            browser.awaitUrlStartingWith(base + "/login");
            String token = browser.find(By.cssSelector("#login input[type=hidden][name=_csrf]")).getDomAttribute("value");
            assertThat(token).isNotBlank();

            signIn(browser, "admin", "not-the-password");
            String wrongPassword = browser.await(By.id("error")).getText();
            signIn(browser, "nobody", "not-the-password");
            String unknownUser = browser.await(By.id("error")).getText();

            assertThat(wrongPassword).isEqualTo("The user name or password is not valid.");
            assertThat(unknownUser).as("the page does not tell which users exist").isEqualTo(wrongPassword);
        }
    }

    @Test
    void aLoginWithoutItsCsrfTokenIsRefusedEvenWithTheRightPassword() throws Exception {
        HttpResponse<String> refused = gateway.send("POST", "/login", "username=admin&password=" + PASSWORD,
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Set-Cookie").orElse("")).doesNotContain("remember");
    }

    @Test
    void theConsentPageNamesClientServerAndScopesAndAllowReturnsACodeThenIsRemembered() throws Exception {
        String clientId = register("Browser Test Client");
        try (BrowserSession browser = BrowserSession.open()) {
            browser.go(authorizeUrl(clientId, "allow-1"));
            signIn(browser, "admin", PASSWORD);
            browser.await(By.id("allow"));

            assertThat(browser.find(By.id("client-name")).getText()).isEqualTo("Browser Test Client");
            String endpoints = browser.find(By.id("endpoints")).getText();
            assertThat(endpoints).contains("weather-tools").contains(base + "/servers/" + serverId + "/mcp");
            String scopes = browser.find(By.id("scopes")).getText();
            assertThat(scopes).contains("mcp:use").contains("Use the tools, resources and prompts")
                    .contains("offline_access");
            assertThat(browser.find(By.cssSelector("#approve input[name=_csrf]")).getDomAttribute("value"))
                    .isNotBlank();

            browser.find(By.id("allow")).click();
            browser.awaitUrlStartingWith(redirectUri());
            Map<String, String> answer = query(browser.currentUrl());
            assertThat(answer).containsKey("code").containsEntry("state", "allow-1").containsEntry("iss", base);

            // Same client, same scopes: straight back to the client, no consent page.
            browser.go(authorizeUrl(clientId, "allow-2"));
            browser.awaitUrlStartingWith(redirectUri());
            assertThat(query(browser.currentUrl())).containsKey("code").containsEntry("state", "allow-2");
        }
    }

    @Test
    void denyReturnsAccessDeniedToTheClient() throws Exception {
        String clientId = register("Denied Client");
        try (BrowserSession browser = BrowserSession.open()) {
            browser.go(authorizeUrl(clientId, "deny-1"));
            signIn(browser, "admin", PASSWORD);
            browser.await(By.id("cancel")).click();
            browser.awaitUrlStartingWith(redirectUri());

            Map<String, String> answer = query(browser.currentUrl());
            assertThat(answer).containsEntry("error", "access_denied").containsEntry("state", "deny-1")
                    .containsEntry("iss", base).doesNotContainKey("code");
        }
    }

    @Test
    void theLoginLimitAnswersWithAPageSayingWhenToTryAgain(@TempDir Path own) throws Exception {
        try (TestGateway limited = TestGateway.start(Map.of("DATABASE_URL", "sqlite:///" + own.resolve("r.db"),
                "ADMIN_PASSWORD", PASSWORD, "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "2"));
             BrowserSession browser = BrowserSession.open()) {
            browser.go("http://127.0.0.1:" + limited.port() + "/login");
            signIn(browser, "admin", "wrong-1");
            browser.await(By.id("error"));
            signIn(browser, "admin", "wrong-2");
            browser.await(By.id("error"));
            signIn(browser, "admin", PASSWORD);

            assertThat(browser.await(By.id("throttled")).getText()).contains("Too many failed sign-ins")
                    .contains("seconds");
        }
    }
}
