package dev.switchboard.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.BrowserSession;
import dev.switchboard.testing.LoopbackPorts;
import dev.switchboard.testing.TestGateway;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console in headless Chromium: a signed-out visitor is sent to the login page and back, the overview shows
 * the registry's database and the upstreams, a token issued on the tokens page works against the API until it is
 * revoked there, a mistake is shown next to its field, and a post without its CSRF token changes nothing. Every
 * console response carries the Content-Security-Policy.
 */
class ConsoleBrowserTest {

    private static final String PASSWORD = "console-test-password";

    @TempDir
    static Path directory;
    private static TestGateway gateway;
    private static String base;
    private static String serverUrl;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        gateway = TestGateway.start(Map.of("DATABASE_URL", "sqlite:///" + directory.resolve("registry.db"),
                "ADMIN_PASSWORD", PASSWORD, "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", "1000"));
        base = "http://127.0.0.1:" + gateway.port();
        // An upstream nobody answers for: registered, its discovery failed.
        HttpResponse<String> created = gateway.send("POST", "/v1/gateways", "{\"name\": \"nobody-home\", \"url\": "
                + "\"http://127.0.0.1:" + LoopbackPorts.free() + "/mcp\"}", "Authorization", admin(),
                "Content-Type", "application/json");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // A virtual server of the gateway's own holding one REST tool: registered as an upstream, the gateway
        // federates that tool (and, unlike its whole /mcp, never its own federated copies).
        HttpResponse<String> tool = gateway.send("POST", "/v1/tools", """
                {"name": "console_health", "inputSchema": {"type": "object"},
                 "request": {"method": "GET", "url": "%s/health"}}""".formatted(base), "Authorization", admin());
        assertThat(tool.statusCode()).as(tool.body()).isEqualTo(201);
        HttpResponse<String> server = gateway.send("POST", "/v1/servers", "{\"name\": \"console-tools\"}",
                "Authorization", admin());
        assertThat(server.statusCode()).as(server.body()).isEqualTo(201);
        String serverId = JSON.readTree(server.body()).get("id").asString();
        HttpResponse<String> members = gateway.send("PUT", "/v1/servers/" + serverId + "/tools", "{\"ids\": [\""
                + JSON.readTree(tool.body()).get("id").asString() + "\"]}", "Authorization", admin());
        assertThat(members.statusCode()).as(members.body()).isEqualTo(200);
        serverUrl = base + "/servers/" + serverId + "/mcp";
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String admin() {
        return TestGateway.basic("admin", PASSWORD);
    }

    private static void signIn(BrowserSession browser) {
        signIn(browser, "admin", PASSWORD);
    }

    private static void signIn(BrowserSession browser, String user, String password) {
        browser.go(base + "/admin");
        browser.awaitUrlStartingWith(base + "/login");
        browser.await(By.id("username")).sendKeys(user);
        browser.find(By.id("password")).sendKeys(password);
        browser.submit(By.id("sign-in"));
        browser.awaitUrlStartingWith(base + "/admin");
    }

    @Test
    void anAdministratorCreatesAUserOnTheUsersPageAndDisablesAndPromotesThem() throws Exception {
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.find(By.id("nav-users")).click();
            assertThat(browser.await(By.id("user-admin")).getText()).contains("builtin")
                    .contains("platform administrator");
            browser.find(By.id("username")).sendKeys("erin");
            browser.find(By.id("new-password")).sendKeys("short");
            browser.submit(By.id("create"));
            assertThat(browser.await(By.id("password-error")).getText()).contains("12");
            assertThat(browser.find(By.id("username")).getAttribute("value")).isEqualTo("erin");
            browser.find(By.id("new-password")).sendKeys("erins-long-password");
            browser.find(By.id("displayName")).sendKeys("Erin");
            browser.submit(By.id("create"));
            assertThat(browser.await(By.id("notice")).getText()).contains("erin");
            assertThat(browser.find(By.id("user-erin")).getText()).contains("Erin").contains("member")
                    .contains("enabled");
            screenshot(browser, "users");

            browser.submit(By.id("disable-erin"));
            assertThat(browser.await(By.id("user-erin")).getText()).contains("disabled");
            browser.submit(By.id("promote-erin"));
            assertThat(browser.await(By.id("user-erin")).getText()).contains("platform administrator");
            // The same changes as the API's: in the audit trail, by the administrator.
            String erin = null;
            for (JsonNode u : JSON.readTree(gateway.get("/v1/users", "Authorization", admin()).body()).get("items")) {
                if (u.get("username").asString().equals("erin")) {
                    erin = u.get("id").asString();
                }
            }
            String audited = "/v1/audit?entityType=user&actor=admin&entityId=" + erin;
            List<String> actions = Awaitility.await().atMost(BrowserSession.PATIENCE).until(() -> {
                List<String> found = new java.util.ArrayList<>();
                JSON.readTree(gateway.get(audited, "Authorization", admin()).body()).get("items")
                        .forEach(r -> found.add(r.get("action").asString()));
                return found;
            }, found -> found.size() >= 3);
            assertThat(actions).containsExactly("update", "update", "create");
        }
    }

    private static final String DEFAULT_TEAM = "00000000-0000-0000-0000-000000000001";

    @Test
    void aLocalUserWhoIsNoAdministratorSeesOnlyWhatTheirRightsAllowAndIsSignedOutOnceDisabled() throws Exception {
        String password = "a-members-password";
        HttpResponse<String> created = gateway.send("POST", "/v1/users", JSON.writeValueAsString(Map.of(
                "username", "member", "password", password)), "Authorization", admin());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString();
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser, "member", password);
            assertThat(browser.await(By.cssSelector(".who")).getText()).isEqualTo("member");
            // A member of no team sees none of the catalog, and no form to change it.
            browser.go(base + "/admin/upstreams");
            assertThat(browser.await(By.id("no-upstreams")).getText()).contains("your teams");
            assertThat(browser.driver().findElements(By.id("register"))).isEmpty();
            // A viewer of the team that owns the upstream reads it, and still changes nothing.
            assertThat(gateway.send("PUT", "/v1/teams/" + DEFAULT_TEAM + "/members/" + id, "{\"role\":\"viewer\"}",
                    "Authorization", admin()).statusCode()).isEqualTo(200);
            browser.go(base + "/admin/upstreams");
            assertThat(browser.await(By.id("upstreams")).getText()).contains("nobody-home");
            assertThat(browser.driver().findElements(By.id("register"))).isEmpty();
            // A viewer reads a server's settings without the forms; a post forged with the session's own CSRF
            // token is refused, and changes nothing.
            String server = serverUrl.substring((base + "/servers/").length(), serverUrl.length() - "/mcp".length());
            browser.go(base + "/admin/servers/" + server + "/settings");
            assertThat(browser.await(By.id("name")).getDomProperty("value")).isEqualTo("console-tools");
            assertThat(browser.driver().findElements(By.id("save-settings"))).isEmpty();
            assertThat(browser.driver().findElements(By.id("delete-server"))).isEmpty();
            Object forged = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const csrf = document.querySelector('input[name=_csrf]').value;
                    fetch(location.pathname, {method: 'POST', redirect: 'manual',
                        headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                        body: '_csrf=' + encodeURIComponent(csrf) + '&name=forged&enabled=true'})
                      .then(r => done(r.status), e => done('failed: ' + e));
                    """);
            assertThat(forged).isEqualTo(403L);
            assertThat(gateway.get("/v1/servers/" + server, "Authorization", admin()).body())
                    .contains("\"name\":\"console-tools\"");
            // Members manage their own tokens.
            browser.go(base + "/admin/tokens");
            assertThat(browser.await(By.id("issue-heading")).isDisplayed()).isTrue();
            browser.go(base + "/admin/audit");
            assertThat(browser.await(By.id("error")).getText()).contains("administrators");

            // An editor of the team gets the forms at once; so does a member promoted; disabled, they are signed out.
            assertThat(gateway.send("PUT", "/v1/teams/" + DEFAULT_TEAM + "/members/" + id, "{\"role\":\"editor\"}",
                    "Authorization", admin()).statusCode()).isEqualTo(200);
            browser.go(base + "/admin/upstreams");
            assertThat(browser.await(By.id("register")).isDisplayed()).isTrue();
            assertThat(gateway.send("DELETE", "/v1/teams/" + DEFAULT_TEAM + "/members/" + id, null,
                    "Authorization", admin()).statusCode()).isEqualTo(204);
            browser.go(base + "/admin/upstreams");
            browser.await(By.id("no-upstreams"));
            assertThat(browser.driver().findElements(By.id("register"))).isEmpty();
            assertThat(gateway.send("PATCH", "/v1/users/" + id, "{\"platformAdmin\":true}", "Authorization",
                    admin()).statusCode()).isEqualTo(200);
            browser.go(base + "/admin/upstreams");
            assertThat(browser.await(By.id("register")).isDisplayed()).isTrue();
            assertThat(gateway.send("PATCH", "/v1/users/" + id, "{\"enabled\":false}", "Authorization",
                    admin()).statusCode()).isEqualTo(200);
            browser.go(base + "/admin/upstreams");
            browser.awaitUrlStartingWith(base + "/login");
        }
    }


    /** The official MCP Java SDK client on {@code url}, sending {@code authorization} with every request. */
    private static McpSyncClient sdkClient(URI url, String authorization) {
        McpClientTransport transport = HttpClientStreamableHttpTransport
                .builder(url.getScheme() + "://" + url.getAuthority()).endpoint(url.getPath())
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", authorization)).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
    }

    /**
     * Saves the page as docs/console/NAME.png, at 1280×800, which docs/console.md shows: the docs are redrawn with
     * the pages by every run.
     */
    private static void screenshot(BrowserSession browser, String name) throws IOException {
        browser.driver().manage().window().setSize(new Dimension(1280, 800));
        byte[] png = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES);
        Files.write(Files.createDirectories(Path.of("docs/console")).resolve(name + ".png"), png);
    }

    @Test
    void aSignedOutVisitorSignsInAndSeesTheDatabaseAndTheUpstreams() throws Exception {
        HttpResponse<String> signedOut = gateway.get("/admin");
        assertThat(signedOut.statusCode()).isEqualTo(302);
        assertThat(signedOut.headers().firstValue("Location").orElse("")).endsWith("/login");
        assertThat(signedOut.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleHeaders.POLICY);

        try (BrowserSession browser = BrowserSession.open()) {
            browser.go(base + "/admin");
            browser.awaitUrlStartingWith(base + "/login");
            browser.await(By.id("username"));
            screenshot(browser, "sign-in");
            signIn(browser);
            assertThat(browser.await(By.id("database-engine")).getText()).isEqualTo("sqlite");
            assertThat(browser.find(By.id("schema")).getText()).startsWith("current (");
            assertThat(browser.find(By.id("ready")).getText()).isEqualTo("yes");
            assertThat(browser.find(By.id("upstreams")).getText()).contains("nobody-home")
                    .contains("streamable_http");
            // The style sheet is the gateway's own, and the policy let it apply.
            assertThat(browser.find(By.cssSelector("header.top")).getCssValue("display")).isEqualTo("flex");

            browser.submit(By.id("sign-out"));
            browser.awaitUrlStartingWith(base + "/login");
            browser.go(base + "/admin/tokens");
            browser.awaitUrlStartingWith(base + "/login");
        }
    }

    @Test
    void anUpstreamIsRegisteredRefreshedDisabledAndDeletedAfterAConfirmation() throws Exception {
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-upstreams"));
            // A mistake first: no name. The API's message is shown next to the field, and the URL is kept.
            browser.await(By.id("url")).sendKeys(serverUrl);
            browser.submit(By.id("register-upstream"));
            assertThat(browser.await(By.id("name-error")).getText()).contains("name");
            assertThat(browser.find(By.id("url")).getDomProperty("value")).isEqualTo(serverUrl);

            // A virtual server of the gateway's own, with the administrator's password: a real upstream MCP server.
            browser.find(By.id("name")).sendKeys("itself");
            browser.find(By.id("auth-basic")).click();
            browser.find(By.id("username")).sendKeys("admin");
            browser.find(By.id("secret")).sendKeys(PASSWORD);
            browser.submit(By.id("register-upstream"));
            String notice = browser.await(By.id("notice")).getText();
            assertThat(notice).startsWith("Registered itself. Discovery completed").contains("tools 1 added");
            assertThat(browser.find(By.id("upstream-itself")).getText()).contains("streamable_http").contains("basic");
            assertThat(browser.driver().getPageSource()).as("the password is never shown").doesNotContain(PASSWORD);
            HttpResponse<String> federated = gateway.get("/v1/tools?q=itself", "Authorization", admin());
            assertThat(federated.body()).contains("itself.console_health");
            screenshot(browser, "upstreams");

            browser.submit(By.id("refresh-itself"));
            assertThat(browser.await(By.id("notice")).getText()).startsWith("Refreshed. Discovery completed")
                    .endsWith("nothing changed.");

            browser.submit(By.id("toggle-itself"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("itself is disabled.");
            assertThat(browser.find(By.cssSelector("#upstream-itself .enabled")).getText()).isEqualTo("no");
            browser.submit(By.id("toggle-itself"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("itself is enabled.");

            browser.submit(By.id("delete-itself"));
            browser.await(By.id("confirm-delete"));
            screenshot(browser, "upstream-delete");
            browser.submit(By.id("confirm-delete"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("itself is deleted.");
            assertThat(browser.driver().findElements(By.id("upstream-itself"))).isEmpty();
            assertThat(gateway.get("/v1/tools?q=itself", "Authorization", admin()).body())
                    .doesNotContain("itself.console_health");
        }
    }

    @Test
    void aToolIsFoundByNameAndTagRenamedAndDisabled() throws Exception {
        HttpResponse<String> probe = gateway.send("POST", "/v1/tools", """
                {"name": "catalog_probe", "description": "Found by the catalog page", "tags": ["console-probe"],
                 "inputSchema": {"type": "object"}, "request": {"method": "GET", "url": "%s/health"}}"""
                .formatted(base), "Authorization", admin());
        assertThat(probe.statusCode()).as(probe.body()).isEqualTo(201);
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-catalog"));
            browser.await(By.id("tag")).sendKeys("console-probe");
            browser.submit(By.id("search-tools"));
            browser.await(By.id("tool-catalog_probe"));
            assertThat(browser.find(By.id("tools")).findElements(By.cssSelector("tbody tr"))).hasSize(1);

            WebElement shown = browser.find(By.cssSelector("#tool-catalog_probe input[name=displayName]"));
            shown.clear();
            shown.sendKeys("not valid");
            browser.submit(By.id("rename-catalog_probe"));
            assertThat(browser.await(By.id("error")).getText()).contains("displayName");
            assertThat(browser.find(By.id("tag")).getDomProperty("value")).as("the search is kept")
                    .isEqualTo("console-probe");

            shown = browser.find(By.cssSelector("#tool-catalog_probe input[name=displayName]"));
            shown.clear();
            shown.sendKeys("probe");
            browser.submit(By.id("rename-catalog_probe"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("catalog_probe is listed as probe.");
            assertThat(browser.currentUrl()).contains("tag=console-probe");
            screenshot(browser, "catalog");

            browser.submit(By.id("toggle-catalog_probe"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("catalog_probe is disabled.");
            assertThat(browser.find(By.cssSelector("#tool-catalog_probe .enabled")).getText()).isEqualTo("no");

            browser.find(By.id("q")).clear();
            browser.find(By.id("q")).sendKeys("no-such-tool");
            browser.submit(By.id("search-tools"));
            browser.await(By.id("no-tools"));
        }
        String stored = gateway.get("/v1/tools?tag=console-probe", "Authorization", admin()).body();
        assertThat(stored).contains("\"displayName\":\"probe\"").contains("\"enabled\":false");
    }

    @Test
    void aChangeMadeInTheConsoleIsInItsAuditTrailWithTheEntryBeforeAndAfter() throws Exception {
        HttpResponse<String> probe = gateway.send("POST", "/v1/tools", """
                {"name": "audit_probe", "tags": ["audit-probe"], "inputSchema": {"type": "object"},
                 "request": {"method": "GET", "url": "%s/health"}}""".formatted(base), "Authorization", admin());
        assertThat(probe.statusCode()).as(probe.body()).isEqualTo(201);
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-catalog"));
            browser.await(By.id("tag")).sendKeys("audit-probe");
            browser.submit(By.id("search-tools"));
            browser.submit(By.id("toggle-audit_probe"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("audit_probe is disabled.");

            browser.submit(By.id("nav-audit"));
            browser.await(By.id("action")).sendKeys("disable");
            new Select(browser.find(By.id("entityType"))).selectByValue("tool");
            // The row is written by the metrics writer within a flush interval; filtering again reloads the page.
            Awaitility.await().atMost(BrowserSession.PATIENCE).until(() -> {
                browser.submit(By.id("filter-audit"));
                return browser.pageText().contains("audit_probe");
            });
            WebElement row = browser.find(By.xpath("//table[@id='audit']//tr[td/span[text()='audit_probe']]"));
            assertThat(row.getText()).contains("admin").contains("disable").contains("tool");
            row.findElement(By.tagName("summary")).click();
            String details = row.findElement(By.tagName("details")).getText();
            assertThat(details).contains("Before").contains("After").contains("\"enabled\" : false")
                    .contains("\"enabled\" : true");
            assertThat(browser.find(By.id("action")).getDomProperty("value")).as("the filter is kept")
                    .isEqualTo("disable");
            screenshot(browser, "audit");

            browser.find(By.id("actor")).sendKeys("nobody-at-all");
            browser.submit(By.id("filter-audit"));
            browser.await(By.id("no-rows"));
            browser.go(base + "/admin/audit?after=not-a-cursor");
            assertThat(browser.await(By.id("error")).getText()).contains("cursor");
        }
    }

    @Test
    void aVirtualServerIsComposedFromAnUpstreamATagAndAPickWithConflictsShown() throws Exception {
        for (String name : new String[] {"clash_a", "clash_b", "pick_me"}) {
            HttpResponse<String> tool = gateway.send("POST", "/v1/tools", """
                    {"name": "%s", "displayName": "%s", "tags": ["%s"], "inputSchema": {"type": "object"},
                     "request": {"method": "GET", "url": "%s/health"}}""".formatted(name,
                    name.startsWith("clash") ? "clash" : name, name.startsWith("clash") ? "console-clash" : "picked",
                    base), "Authorization",
                    admin());
            assertThat(tool.statusCode()).as(tool.body()).isEqualTo(201);
        }
        HttpResponse<String> upstream = gateway.send("POST", "/v1/gateways", """
                {"name": "composed-src", "url": "%s", "auth": {"type": "basic", "username": "admin", "password": "%s"}}"""
                .formatted(serverUrl, PASSWORD), "Authorization", admin());
        assertThat(upstream.statusCode()).as(upstream.body()).isEqualTo(201);
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-servers"));
            browser.submit(By.id("create-server"));
            assertThat(browser.await(By.id("name-error")).getText()).contains("name");
            browser.find(By.id("name")).sendKeys("console-composed");
            browser.submit(By.id("create-server"));
            assertThat(browser.await(By.id("notice")).getText()).startsWith("Created console-composed.");
            browser.await(By.id("no-members"));

            new Select(browser.find(By.id("gateway"))).selectByVisibleText("composed-src");
            browser.submit(By.id("add-from-upstream"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("Added 1 entry.");
            browser.await(By.id("member-tool-composed-src.console_health"));

            browser.find(By.id("tag")).sendKeys("console-clash");
            browser.submit(By.id("add-tagged"));
            assertThat(browser.await(By.id("notice")).getText())
                    .isEqualTo("Added 1 entry; 1 could not join (below).");
            assertThat(browser.find(By.id("conflicts")).getText()).containsPattern("tool clash_[ab]: .*clash");
            screenshot(browser, "server");

            browser.find(By.id("q")).sendKeys("catalog_probe_pick");
            browser.submit(By.id("find-entries"));
            browser.await(By.id("no-candidates"));
            // The gateway's own console_health would be presented under the same name as the upstream's copy.
            browser.find(By.id("q")).clear();
            browser.find(By.id("q")).sendKeys("console_health");
            browser.submit(By.id("find-entries"));
            browser.submit(By.id("add-tool-console_health"));
            assertThat(browser.await(By.id("error")).getText()).contains("two tools named 'console_health'");
            assertThat(browser.driver().findElements(By.id("member-tool-console_health"))).isEmpty();

            browser.find(By.id("q")).sendKeys("pick_me");
            browser.submit(By.id("find-entries"));
            browser.submit(By.id("add-tool-pick_me"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("Added the tool.");
            browser.await(By.id("member-tool-pick_me"));

            browser.submit(By.id("remove-tool-pick_me"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("Removed the tool.");
            assertThat(browser.driver().findElements(By.id("member-tool-pick_me"))).isEmpty();

            // The playground: the server's tools, then a call through the upstream, with the raw JSON-RPC shown.
            browser.submit(By.id("playground"));
            assertThat(browser.await(By.id("tools")).getText()).contains("console_health").contains("clash");
            browser.find(By.id("name")).sendKeys("console_health");
            WebElement arguments = browser.find(By.id("arguments"));
            arguments.clear();
            arguments.sendKeys("[1]");
            browser.submit(By.id("send-request"));
            assertThat(browser.await(By.id("arguments-error")).getText()).contains("JSON object");
            arguments = browser.find(By.id("arguments"));
            arguments.clear();
            arguments.sendKeys("{}");
            browser.submit(By.id("send-request"));
            assertThat(browser.await(By.id("sent")).getText()).contains("\"method\" : \"tools/call\"");
            JsonNode received = JSON.readTree(browser.find(By.id("received")).getText());
            assertThat(received.get("result").get("isError").asBoolean()).isFalse();
            assertThat(received.get("result").get("content").get(0).get("text").asString()).contains("UP");
            screenshot(browser, "playground");

            // The call counts on the overview's charts, for the server and for its tool, once the writer flushed.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                browser.go(base + "/admin");
                browser.await(By.id("activity-heading"));
                return !browser.driver().findElements(By.id("server-activity-console-composed")).isEmpty();
            });
            assertThat(browser.find(By.cssSelector("#server-activity-console-composed td")).getText())
                    .isEqualTo("1");
            assertThat(browser.find(By.id("tool-activity")).getText()).contains("composed-src.console_health");
            assertThat(browser.find(By.id("window-hour")).getDomAttribute("aria-current")).isEqualTo("page");
            screenshot(browser, "overview");
            browser.submit(By.id("window-day"));
            assertThat(browser.await(By.id("window-day")).getDomAttribute("aria-current")).isEqualTo("page");
            assertThat(browser.find(By.cssSelector("#server-activity-console-composed td")).getText())
                    .isEqualTo("1");
            browser.go(base + "/admin/servers");
            browser.submit(By.linkText("console-composed"));

            // Connect: issue a token, copy Cursor's configuration, and use it with the official Java SDK client.
            browser.submit(By.id("connect"));
            browser.submit(By.id("issue-token"));
            JsonNode cursor = JSON.readTree(browser.await(By.id("config-cursor-token")).getText())
                    .get("mcpServers").get("switchboard");
            screenshot(browser, "connect");
            URI url = URI.create(cursor.get("url").asString());
            String authorization = cursor.get("headers").get("Authorization").asString();
            assertThat(browser.find(By.id("config-cursor-oauth")).getText()).contains(url.toString())
                    .doesNotContain("Authorization");
            try (McpSyncClient client = sdkClient(url, authorization)) {
                client.initialize();
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                        .containsExactlyInAnyOrder("console_health", "clash");
                McpSchema.CallToolResult called = client.callTool(McpSchema.CallToolRequest.builder()
                        .name("console_health").arguments(Map.of()).build());
                assertThat(called.isError()).isFalse();
                assertThat(((McpSchema.TextContent) called.content().get(0)).text()).contains("UP");
            }

            // Revoked on the tokens page, the copied configuration stops working.
            browser.submit(By.id("nav-tokens"));
            String tokenName = browser.await(By.cssSelector("[id^=token-connect-console-composed-]"))
                    .getDomAttribute("id").substring("token-".length());
            browser.submit(By.id("revoke-" + tokenName));
            browser.await(By.id("notice"));
            assertThat(gateway.get(url.getPath(), "Authorization", authorization).statusCode()).isEqualTo(401);
        } finally {
            String id = JSON.readTree(upstream.body()).get("id").asString();
            gateway.send("DELETE", "/v1/gateways/" + id, null, "Authorization", admin());
        }
    }

    @Test
    void aTokenIssuedOnThePageWorksUntilItIsRevokedThere() throws Exception {
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-tokens"));
            browser.await(By.id("issue"));
            browser.find(By.id("name")).sendKeys("console-reader");
            browser.find(By.id("scope-catalog-read")).click();
            browser.submit(By.id("issue-token"));

            String secret = browser.await(By.id("secret")).getDomProperty("value");
            assertThat(secret).startsWith("sbt_");
            screenshot(browser, "tokens");
            assertThat(gateway.get("/v1/gateways", "Authorization", TestGateway.bearer(secret)).statusCode())
                    .isEqualTo(200);
            assertThat(browser.find(By.id("token-console-reader")).getText()).contains("catalog:read mcp:use")
                    .contains("active");

            browser.submit(By.id("revoke-console-reader"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("The token was revoked.");
            assertThat(browser.find(By.cssSelector("#token-console-reader .state")).getText()).isEqualTo("revoked");
            assertThat(gateway.get("/v1/gateways", "Authorization", TestGateway.bearer(secret)).statusCode())
                    .isEqualTo(401);
            // The secret was shown once: the list never shows it again.
            assertThat(browser.pageText()).doesNotContain(secret);
        }
    }

    @Test
    void whoMayUseAServerAndItsPolicyAreSetOnItsAccessPage() throws Exception {
        HttpResponse<String> created = gateway.send("POST", "/v1/servers", "{\"name\": \"guarded\"}",
                "Authorization", admin());
        String id = JSON.readTree(created.body()).get("id").asString();
        HttpResponse<String> team = gateway.send("POST", "/v1/teams", "{\"name\": \"payments\"}",
                "Authorization", admin());
        String payments = JSON.readTree(team.body()).get("id").asString();
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.go(base + "/admin/servers/" + id);
            assertThat(browser.await(By.id("visibility")).getText()).isEqualTo("public");
            browser.find(By.id("access")).click();
            browser.await(By.id("visibility-shared")).click();
            browser.find(By.id("share-" + payments)).click();
            browser.find(By.id("policy")).sendKeys("[{\"effect\": \"deny\", \"when\": \"request.tool ==\"}]");
            browser.submit(By.id("save-access"));

            // The rule does not compile: the API's words, with where, next to the policy; nothing changed.
            WebElement error = browser.await(By.id("policy-error"));
            assertThat(error.getText()).contains("policy[0].when").contains("line 1, column");
            assertThat(browser.find(By.id("policy")).getDomAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.find(By.id("visibility-shared")).isSelected()).isTrue();
            screenshot(browser, "access");
            assertThat(JSON.readTree(gateway.get("/v1/servers/" + id, "Authorization", admin()).body())
                    .get("visibility").asString()).isEqualTo("public");

            browser.find(By.id("policy")).clear();
            browser.find(By.id("policy")).sendKeys("[{\"effect\": \"deny\", \"when\": \"request.tool == 'drop'\"}]");
            browser.submit(By.id("save-access"));
            assertThat(browser.await(By.id("notice")).getText()).contains("guarded");
            JsonNode saved = JSON.readTree(gateway.get("/v1/servers/" + id, "Authorization", admin()).body());
            assertThat(saved.get("visibility").asString()).isEqualTo("shared");
            assertThat(saved.get("sharedWith").toString()).isEqualTo("[\"" + payments + "\"]");
            assertThat(saved.get("policy").get(0).get("when").asString()).isEqualTo("request.tool == 'drop'");
            assertThat(browser.find(By.id("policy")).getDomProperty("value")).contains("request.tool == 'drop'");
            browser.find(By.id("back")).click();
            assertThat(browser.await(By.id("visibility")).getText()).isEqualTo("shared");
        }
    }

    @Test
    void aServersSettingsAreSavedWithMistakesByTheirFieldsAndItIsDeletedOnceConfirmed() throws Exception {
        String id = null;
        for (String name : List.of("settings-a", "settings-b")) {
            HttpResponse<String> created = gateway.send("POST", "/v1/servers", "{\"name\": \"" + name + "\"}",
                    "Authorization", admin());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            id = id == null ? JSON.readTree(created.body()).get("id").asString() : id;
        }
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.go(base + "/admin/servers/" + id);
            browser.submit(By.id("settings"));
            WebElement name = browser.await(By.id("name"));
            name.clear();
            name.sendKeys("settings-b");
            browser.find(By.id("instructions")).sendKeys("Ask before you delete anything.");
            browser.submit(By.id("save-settings"));
            assertThat(browser.await(By.id("name-error")).getText()).contains("settings-b");
            assertThat(browser.find(By.id("instructions")).getDomProperty("value")).as("what was typed is kept")
                    .isEqualTo("Ask before you delete anything.");

            name = browser.find(By.id("name"));
            name.clear();
            name.sendKeys("settings-renamed");
            browser.find(By.id("description")).sendKeys("Renamed in the console");
            browser.find(By.id("enabled")).click();
            browser.submit(By.id("save-settings"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("Saved the settings of settings-renamed.");
            assertThat(browser.find(By.id("enabled")).isSelected()).isFalse();
            screenshot(browser, "server-settings");
            JsonNode saved = JSON.readTree(gateway.get("/v1/servers/" + id, "Authorization", admin()).body());
            assertThat(saved.get("name").asString()).isEqualTo("settings-renamed");
            assertThat(saved.get("description").asString()).isEqualTo("Renamed in the console");
            assertThat(saved.get("instructions").asString()).isEqualTo("Ask before you delete anything.");
            assertThat(saved.get("enabled").asBoolean()).isFalse();
            browser.submit(By.id("back"));
            browser.await(By.id("disabled"));

            browser.submit(By.id("settings"));
            browser.submit(By.id("delete-server"));
            assertThat(browser.await(By.id("confirm-error")).getText()).contains("Tick the box");
            browser.find(By.id("confirm")).click();
            browser.submit(By.id("delete-server"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("Deleted settings-renamed.");
            assertThat(browser.driver().findElements(By.id("server-settings-renamed"))).isEmpty();
            browser.await(By.id("server-settings-b"));
            screenshot(browser, "servers");
        }
        assertThat(gateway.get("/v1/servers/" + id, "Authorization", admin()).statusCode()).isEqualTo(404);
    }

    @Test
    void aMistakeIsShownNextToItsFieldAndNothingIsIssued() throws Exception {
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.go(base + "/admin/tokens");
            browser.await(By.id("name")).sendKeys("has spaces");
            browser.submit(By.id("issue-token"));

            WebElement error = browser.await(By.id("name-error"));
            assertThat(error.getText()).contains("letters, digits");
            assertThat(browser.find(By.id("name")).getDomAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.find(By.id("name")).getDomProperty("value")).isEqualTo("has spaces");
            assertThat(browser.driver().findElements(By.id("secret"))).isEmpty();
        }
    }

    @Test
    void theCatalogIsExportedAndAnEditedExportTriedThenImportedWithItsConflictsShown() throws Exception {
        HttpResponse<String> created = gateway.send("POST", "/v1/tools", """
                {"name": "transfer_probe", "description": "before", "inputSchema": {"type": "object"},
                 "request": {"method": "GET", "url": "%s/health"}}""".formatted(base), "Authorization", admin());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String probe = JSON.readTree(created.body()).get("id").asString();
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-transfer"));
            browser.await(By.id("export"));
            assertThat(browser.find(By.cssSelector("label[for=secrets]")).getText()).contains("credentials");

            // The download, fetched with the page's own session, as the button would.
            Object text = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/admin/transfer/catalog.json').then(r => r.text()).then(done, e => done('failed: ' + e));
                    """);
            JsonNode document = JSON.readTree(String.valueOf(text));
            assertThat(document.get("format").asString()).isEqualTo("switchboard-catalog");
            JsonNode tool = document.get("tools").valueStream()
                    .filter(t -> t.get("id").asString().equals(probe)).findFirst().orElseThrow();
            ((tools.jackson.databind.node.ObjectNode) tool).put("description", "after");

            // A dry run reports the change and makes none; unticked, it is made.
            paste(browser, document.toString());
            browser.submit(By.id("apply"));
            assertThat(browser.await(By.id("notice")).getText()).startsWith("Dry run: nothing was changed. 1 changes");
            assertThat(browser.find(By.id("change-" + probe)).getText()).contains("transfer_probe").contains("update");
            assertThat(description(probe)).isEqualTo("before");
            screenshot(browser, "transfer");
            browser.find(By.id("dryRun")).click();
            browser.submit(By.id("apply"));
            assertThat(browser.await(By.id("notice")).getText()).startsWith("Imported. 1 changes");
            assertThat(description(probe)).isEqualTo("after");

            // A conflict is listed with the API's reason, and nothing is applied; what is not JSON is said so.
            ((tools.jackson.databind.node.ObjectNode) tool).put("description", "never")
                    .put("teamId", "00000000-0000-0000-0000-0000000000ff");
            paste(browser, document.toString());
            browser.submit(By.id("apply"));
            assertThat(browser.await(By.id("error")).getText()).isEqualTo(
                    "1 entries cannot be imported; nothing was applied.");
            assertThat(browser.find(By.id("conflict-" + probe)).getText()).contains("is not in this registry");
            assertThat(description(probe)).isEqualTo("after");
            paste(browser, "{not json");
            browser.submit(By.id("apply"));
            assertThat(browser.await(By.id("error")).getText()).startsWith("The document is not JSON");
        }
    }

    @Test
    void theApiReferenceOpensFromTheSignedInConsole() throws Exception {
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-docs"));
            // Swagger UI draws an operation once it has read the description, with the session's cookie.
            browser.await(By.cssSelector(".opblock"));
            assertThat(browser.pageText()).contains("/v1/tools").contains("/v1/import");
            screenshot(browser, "api-reference");
        }
        // Outside the console, the same page and description still take the API's credentials.
        assertThat(gateway.get("/openapi.json").statusCode()).isEqualTo(401);
        assertThat(gateway.get("/admin/openapi.json").statusCode()).isIn(302, 401);
    }

    @Test
    void anAdministratorCreatesATeamAndAddsChangesAndRemovesAMember() throws Exception {
        for (String name : List.of("teammate", "teammate2")) {
            HttpResponse<String> user = gateway.send("POST", "/v1/users", "{\"username\": \"" + name
                    + "\", \"password\": \"a-long-enough-password\"}", "Authorization", admin());
            assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
        }
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-teams"));
            browser.await(By.id("create-team")).findElement(By.id("name")).sendKeys("console-team");
            browser.find(By.id("description")).sendKeys("made in the console");
            browser.submit(By.id("create"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("The team was created.");
            assertThat(browser.find(By.id("no-members")).isDisplayed()).isTrue();

            browser.find(By.id("username")).sendKeys("teammate");
            new Select(browser.find(By.id("role"))).selectByValue("editor");
            browser.submit(By.id("add"));
            assertThat(browser.await(By.cssSelector("#member-teammate .role")).getText()).isEqualTo("editor");
            screenshot(browser, "team");
            browser.submit(By.id("nav-teams"));
            browser.await(By.linkText("console-team"));
            screenshot(browser, "teams");
            browser.submit(By.linkText("console-team"));
            new Select(browser.find(By.cssSelector("#member-teammate select"))).selectByValue("viewer");
            browser.submit(By.id("set-role-teammate"));
            assertThat(browser.await(By.cssSelector("#member-teammate .role")).getText()).isEqualTo("viewer");

            // Mistakes are said in words: an unknown user, and a team's last owner made something else (409).
            browser.find(By.id("username")).sendKeys("nobody-of-that-name");
            browser.submit(By.id("add"));
            assertThat(browser.await(By.id("error")).getText()).isEqualTo("No user is named 'nobody-of-that-name'.");
            new Select(browser.find(By.cssSelector("#member-teammate select"))).selectByValue("owner");
            browser.submit(By.id("set-role-teammate"));
            assertThat(browser.await(By.cssSelector("#member-teammate .role")).getText()).isEqualTo("owner");
            new Select(browser.find(By.cssSelector("#member-teammate select"))).selectByValue("editor");
            browser.submit(By.id("set-role-teammate"));
            assertThat(browser.await(By.id("error")).getText()).contains("without an owner");
            new Select(browser.find(By.cssSelector("#member-teammate select"))).selectByValue("viewer");
            browser.submit(By.id("set-role-teammate"));
            assertThat(browser.await(By.id("error")).getText()).contains("without an owner");

            browser.find(By.id("username")).clear();
            browser.find(By.id("username")).sendKeys("teammate2");
            browser.submit(By.id("add"));
            assertThat(browser.await(By.cssSelector("#member-teammate2 .role")).getText()).isEqualTo("viewer");
            browser.submit(By.id("remove-teammate2"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("The members were changed.");
            assertThat(browser.driver().findElements(By.id("member-teammate2"))).isEmpty();

            // The list shows the team, in which the administrator has no role; a taken name is refused by its field.
            browser.submit(By.id("nav-teams"));
            assertThat(browser.await(By.cssSelector("#team-console-team .role")).getText())
                    .isEqualTo("none (administrator)");
            browser.find(By.id("name")).sendKeys("console-team");
            browser.submit(By.id("create"));
            assertThat(browser.await(By.id("name-error")).getText()).contains("console-team");
        }
        HttpResponse<String> teams = gateway.get("/v1/teams", "Authorization", admin());
        JsonNode team = JSON.readTree(teams.body()).get("items").valueStream()
                .filter(t -> t.get("name").asString().equals("console-team")).findFirst().orElseThrow();
        assertThat(team.get("members").valueStream().map(m -> m.get("username").asString())).containsExactly("teammate");
        assertThat(team.get("members").get(0).get("role").asString()).isEqualTo("owner");
    }

    @Test
    void theUsersTeamsAndAServersMembersComeFiftyToAPage() throws Exception {
        // Users sort after every other test's, so the second page holds this test's last ones.
        for (int i = 0; i < 52; i++) {
            HttpResponse<String> user = gateway.send("POST", "/v1/users", "{\"username\": \"zz-pager-%02d\", "
                    .formatted(i) + "\"password\": \"a-long-enough-password\"}", "Authorization", admin());
            assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
        }
        for (int i = 0; i < 51; i++) {
            HttpResponse<String> team = gateway.send("POST", "/v1/teams", "{\"name\": \"zz-team-%02d\"}"
                    .formatted(i), "Authorization", admin());
            assertThat(team.statusCode()).as(team.body()).isEqualTo(201);
        }
        List<String> tools = new java.util.ArrayList<>();
        for (int i = 0; i < 53; i++) {
            HttpResponse<String> tool = gateway.send("POST", "/v1/tools", """
                    {"name": "paged_%02d", "inputSchema": {"type": "object"},
                     "request": {"method": "GET", "url": "%s/health"}}""".formatted(i, base), "Authorization", admin());
            assertThat(tool.statusCode()).as(tool.body()).isEqualTo(201);
            tools.add("\"" + JSON.readTree(tool.body()).get("id").asString() + "\"");
        }
        HttpResponse<String> created = gateway.send("POST", "/v1/servers", "{\"name\": \"console-paged\"}",
                "Authorization", admin());
        String server = JSON.readTree(created.body()).get("id").asString();
        HttpResponse<String> members = gateway.send("PUT", "/v1/servers/" + server + "/tools", "{\"ids\": ["
                + String.join(",", tools) + "]}", "Authorization", admin());
        assertThat(members.statusCode()).as(members.body()).isEqualTo(200);
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-users"));
            assertThat(browser.await(By.id("users")).findElements(By.cssSelector("tbody tr"))).hasSize(50);
            assertThat(browser.driver().findElements(By.id("user-zz-pager-51"))).isEmpty();
            browser.submit(By.id("next-page"));
            browser.await(By.id("user-zz-pager-51"));
            assertThat(browser.driver().findElements(By.id("user-admin"))).isEmpty();
            browser.await(By.id("first-page"));

            browser.submit(By.id("nav-teams"));
            assertThat(browser.await(By.id("teams")).findElements(By.cssSelector("tbody tr"))).hasSize(50);
            browser.submit(By.id("next-page"));
            browser.await(By.linkText("zz-team-50"));
            browser.await(By.id("first-page"));

            browser.go(base + "/admin/servers/" + server);
            assertThat(browser.await(By.id("members-tools")).findElements(By.cssSelector("tbody tr"))).hasSize(50);
            browser.await(By.id("member-tool-paged_49"));
            browser.submit(By.id("next-tools"));
            assertThat(browser.await(By.id("members-tools")).findElements(By.cssSelector("tbody tr"))).hasSize(3);
            browser.await(By.id("member-tool-paged_52"));
            assertThat(browser.pageText()).contains("51 to 53 of 53");
            browser.submit(By.id("previous-tools"));
            browser.await(By.id("member-tool-paged_00"));
        }
    }

    @Test
    void everyPageFitsAPhonesWidthWithoutScrollingSideways() throws Exception {
        String server = serverUrl.substring((base + "/servers/").length(), serverUrl.length() - "/mcp".length());
        List<String> pages = List.of("", "/upstreams", "/catalog", "/catalog/resources", "/catalog/prompts", "/servers", "/servers/" + server,
                "/servers/" + server + "/access", "/servers/" + server + "/settings", "/servers/" + server + "/connect",
                "/servers/" + server + "/playground", "/tokens", "/users", "/teams", "/audit", "/transfer");
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.driver().manage().window().setSize(new Dimension(390, 844));
            List<String> wide = new java.util.ArrayList<>();
            for (String page : pages) {
                browser.go(base + "/admin" + page);
                browser.await(By.tagName("h1"));
                Object overflow = ((JavascriptExecutor) browser.driver()).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                if (((Number) overflow).longValue() > 0) {
                    // The outermost elements that reach past the screen, to say what to mend.
                    Object culprits = ((JavascriptExecutor) browser.driver()).executeScript("""
                            const width = document.documentElement.clientWidth;
                            return [...document.querySelectorAll('body *')]
                              .filter(e => e.getBoundingClientRect().right > width + 1)
                              .filter(e => e.parentElement.getBoundingClientRect().right <= width + 1)
                              .slice(0, 3).map(e => e.tagName + '#' + e.id + '.' + e.className).join(', ');""");
                    wide.add(page + " is " + overflow + " px too wide: " + culprits);
                }
            }
            assertThat(wide).as("pages wider than a phone's screen").isEmpty();
            browser.go(base + "/admin/servers/" + server + "/connect");
            browser.await(By.tagName("h1"));
            byte[] png = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES);
            Files.write(Files.createDirectories(Path.of("docs/console")).resolve("phone.png"), png);
        }
    }

    @Test
    void theTokensPageShowsFiftyNewestFirstAndPagesToTheRest() throws Exception {
        for (int i = 0; i <= 50; i++) {
            HttpResponse<String> issued = gateway.send("POST", "/v1/tokens", "{\"name\": \"bulk-" + i
                    + "\", \"scopes\": [\"catalog:read\"], \"expiresInDays\": 1}", "Authorization", admin());
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        }
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.go(base + "/admin/tokens");
            browser.await(By.id("token-bulk-50"));
            assertThat(browser.driver().findElements(By.cssSelector("#tokens tbody tr"))).hasSize(50);
            assertThat(browser.driver().findElements(By.id("token-bulk-0"))).isEmpty();
            browser.submit(By.id("next-page"));
            browser.await(By.id("token-bulk-0"));
            assertThat(browser.find(By.id("first-page")).getText()).isEqualTo("First page");
            browser.go(base + "/admin/tokens?after=not-a-cursor");
            assertThat(browser.await(By.id("error")).getText()).contains("first page is shown");
        }
    }

    @Test
    void resourcesAndPromptsHaveTheirOwnTabsToSearchDisableAndRename() throws Exception {
        HttpResponse<String> resource = gateway.send("POST", "/v1/resources", """
                {"name": "console-handbook", "uri": "docs://console/handbook", "text": "Read me",
                 "mimeType": "text/markdown",
                 "tags": ["console-docs"]}""", "Authorization", admin());
        assertThat(resource.statusCode()).as(resource.body()).isEqualTo(201);
        HttpResponse<String> prompt = gateway.send("POST", "/v1/prompts", """
                {"name": "console-greeting", "template": "Hello there"}""", "Authorization", admin());
        assertThat(prompt.statusCode()).as(prompt.body()).isEqualTo(201);
        HttpResponse<String> created = gateway.send("POST", "/v1/servers", """
                {"name": "console-documents"}""", "Authorization", admin());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String server = JSON.readTree(created.body()).get("id").asString();
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-catalog"));
            browser.submit(By.id("kind-resources"));
            browser.await(By.id("tag")).sendKeys("console-docs");
            browser.submit(By.id("search-tools"));
            assertThat(browser.await(By.id("resource-console-handbook")).getText()).contains("docs://console/handbook")
                    .contains("text/markdown");
            browser.submit(By.id("toggle-console-handbook"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("console-handbook is disabled.");
            assertThat(browser.find(By.cssSelector("#resource-console-handbook .enabled")).getText()).isEqualTo("no");
            assertThat(browser.find(By.id("tag")).getDomProperty("value")).isEqualTo("console-docs");
            screenshot(browser, "catalog-resources");

            browser.submit(By.id("kind-prompts"));
            WebElement display = browser.await(By.cssSelector("#prompt-console-greeting input[name=displayName]"));
            display.clear();
            display.sendKeys("greet");
            browser.submit(By.id("rename-console-greeting"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("console-greeting is listed as greet.");
            screenshot(browser, "catalog-prompts");
            display = browser.find(By.cssSelector("#prompt-console-greeting input[name=displayName]"));
            display.clear();
            display.sendKeys("has spaces");
            browser.submit(By.id("rename-console-greeting"));
            assertThat(browser.await(By.id("error")).getText()).contains("displayName");

            // Both join a virtual server, picked by name like tools.
            browser.go(base + "/admin/servers/" + server);
            new Select(browser.await(By.id("kind"))).selectByValue("resources");
            browser.find(By.id("q")).sendKeys("console-hand");
            browser.submit(By.id("find-entries"));
            browser.submit(By.id("add-resource-console-handbook"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("Added the resource.");
            new Select(browser.find(By.id("kind"))).selectByValue("prompts");
            browser.find(By.id("q")).sendKeys("console-greet");
            browser.submit(By.id("find-entries"));
            assertThat(browser.await(By.id("candidates")).getText()).contains("listed as greet");
            browser.submit(By.id("add-prompt-console-greeting"));
            assertThat(browser.await(By.id("member-resource-console-handbook")).getText()).contains("no");
            browser.await(By.id("member-prompt-console-greeting"));
            browser.submit(By.id("remove-resource-console-handbook"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("Removed the resource.");
            assertThat(browser.driver().findElements(By.id("member-resource-console-handbook"))).isEmpty();
        }
        JsonNode prompts = JSON.readTree(gateway.get("/v1/servers/" + server + "/prompts", "Authorization", admin())
                .body());
        assertThat(prompts.get("items").valueStream().map(m -> m.get("name").asString()))
                .containsExactly("console-greeting");
        assertThat(JSON.readTree(gateway.get("/v1/resources/" + JSON.readTree(resource.body()).get("id").asString(),
                "Authorization", admin()).body()).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void aRestToolIsWrittenWithItsMistakesShownByTheirFieldsThenTriedAndChanged() throws Exception {
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.submit(By.id("nav-catalog"));
            browser.submit(By.id("new-tool"));
            browser.await(By.id("name")).sendKeys("console_echo");
            WebElement schema = browser.find(By.id("inputSchema"));
            schema.clear();
            schema.sendKeys("{\"type\": \"object\", \"properties\": {\"probe\": {\"type\": \"string\"}}}");
            browser.find(By.id("url")).sendKeys("ftp://127.0.0.1/{probe}");
            browser.submit(By.id("save"));
            assertThat(browser.await(By.id("url-error")).getText()).contains("request.url");
            assertThat(browser.find(By.id("name")).getDomProperty("value")).isEqualTo("console_echo");

            WebElement url = browser.find(By.id("url"));
            url.clear();
            url.sendKeys(base + "/health?probe={probe}");
            browser.find(By.id("headers")).sendKeys("no colon here");
            browser.submit(By.id("save"));
            assertThat(browser.await(By.id("headers-error")).getText()).contains("name:value");
            browser.find(By.id("headers")).clear();
            browser.find(By.id("headers")).sendKeys("X-Console: yes");
            browser.submit(By.id("save"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("The tool was saved.");
            assertThat(browser.find(By.id("headers")).getDomProperty("value")).contains("X-Console: yes");

            WebElement arguments = browser.find(By.id("arguments"));
            arguments.clear();
            arguments.sendKeys("{\"probe\": \"console\"}");
            browser.submit(By.id("call"));
            assertThat(browser.await(By.id("sent")).getText()).contains("\"tools/call\"").contains("console_echo");
            assertThat(browser.find(By.id("received")).getText()).contains("\"result\"").contains("UP");
            screenshot(browser, "tool");

            browser.find(By.id("description")).sendKeys("Reads the gateway's health");
            browser.submit(By.id("save"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("The tool was saved.");
        }
        HttpResponse<String> tools = gateway.get("/v1/tools?q=console_echo", "Authorization", admin());
        JsonNode tool = JSON.readTree(tools.body()).get("items").get(0);
        assertThat(tool.get("description").asString()).isEqualTo("Reads the gateway's health");
        assertThat(tool.get("request").get("headers").get("X-Console").asString()).isEqualTo("yes");
    }

    @Test
    void aCredentialTheFormCannotShowIsKeptWhenTheToolIsSavedThere() throws Exception {
        HttpResponse<String> created = gateway.send("POST", "/v1/tools", """
                {"name": "console_keyed", "request": {"method": "GET", "url": "%s/health"},
                 "auth": {"type": "header", "headerName": "X-Api-Key", "headerValue": "kept-secret"}}"""
                .formatted(base), "Authorization", admin());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString();
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.go(base + "/admin/catalog/tools/" + id);
            assertThat(new Select(browser.await(By.id("authType"))).getFirstSelectedOption().getText())
                    .isEqualTo("the header X-Api-Key");
            browser.find(By.id("description")).sendKeys("keyed");
            browser.submit(By.id("save"));
            assertThat(browser.await(By.id("notice")).getText()).isEqualTo("The tool was saved.");
            assertThat(browser.pageText()).doesNotContain("kept-secret");
        }
        JsonNode auth = JSON.readTree(gateway.get("/v1/tools/" + id, "Authorization", admin()).body()).get("auth");
        assertThat(auth.get("type").asString()).isEqualTo("header");
        assertThat(auth.get("headerName").asString()).isEqualTo("X-Api-Key");
        assertThat(auth.get("secretSet").asBoolean()).isTrue();
    }

    /** Puts {@code text} in the import form's document field at once, as a paste would. */
    private static void paste(BrowserSession browser, String text) {
        WebElement field = browser.await(By.id("document"));
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1];", field, text);
    }

    private static String description(String toolId) throws Exception {
        return JSON.readTree(gateway.get("/v1/tools/" + toolId, "Authorization", admin()).body())
                .get("description").asString();
    }

    @Test
    void aPostWithoutItsCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        try (BrowserSession browser = BrowserSession.open()) {
            signIn(browser);
            browser.go(base + "/admin/tokens");
            browser.await(By.id("issue"));
            // The signed-in browser's own session, without the form's hidden _csrf field.
            Object status = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/admin/tokens', {method: 'POST', redirect: 'manual',
                        headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                        body: 'name=forged&scopes=mcp%3Ause&expiresInDays=1'})
                      .then(r => done(r.status), e => done('failed: ' + e));
                    """);
            assertThat(status).isEqualTo(403L);
        }
        HttpResponse<String> tokens = gateway.get("/v1/tokens", "Authorization", admin());
        assertThat(tokens.body()).doesNotContain("\"forged\"");
    }
}
