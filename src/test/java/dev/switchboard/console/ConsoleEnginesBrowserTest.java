package dev.switchboard.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.BrowserSession;
import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.GatewayUnderTest;
import dev.switchboard.testing.TestEngine;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The console on each engine of the run, through the run's shared gateway: signed in, every page answers, the
 * overview names the engine, and a virtual server created and a token issued and revoked through the pages are
 * stored and read back. ConsoleBrowserTest covers the pages in depth on SQLite.
 */
class ConsoleEnginesBrowserTest {

    @EngineTest
    void everyPageAnswersAndWritesAreStored(TestEngine engine) {
        GatewayUnderTest gateway = GatewayUnderTest.shared(engine);
        String base = gateway.baseUrl();
        String server = "console-" + UUID.randomUUID().toString().substring(0, 8);
        try (BrowserSession browser = BrowserSession.open()) {
            browser.go(base + "/admin");
            browser.awaitUrlStartingWith(base + "/login");
            browser.await(By.id("username")).sendKeys(GatewayUnderTest.ADMIN);
            browser.find(By.id("password")).sendKeys(gateway.adminPassword());
            browser.submit(By.id("sign-in"));
            assertThat(browser.await(By.id("database-engine")).getText()).isEqualTo(engine.engine().id());
            assertThat(browser.find(By.id("schema")).getText()).startsWith("current (");

            for (String page : new String[] {"upstreams", "catalog", "tokens", "servers"}) {
                browser.submit(By.id("nav-" + page));
                assertThat(browser.driver().findElements(By.id("error"))).as(page).isEmpty();
            }
            browser.await(By.id("name")).sendKeys(server);
            browser.submit(By.id("create-server"));
            // The server's own page, read back from the registry by its id.
            assertThat(browser.await(By.id("notice")).getText()).startsWith("Created " + server + ".");
            assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Virtual server " + server);

            browser.submit(By.id("nav-tokens"));
            browser.await(By.id("name")).sendKeys(server);
            browser.submit(By.id("issue-token"));
            assertThat(browser.await(By.id("secret")).getDomProperty("value")).startsWith("sbt_");
            browser.submit(By.id("revoke-" + server));
            assertThat(browser.await(By.cssSelector("#token-" + server + " .state")).getText()).isEqualTo("revoked");

            // The server's creation, read back from this engine's audit trail once the writer has stored it.
            browser.submit(By.id("nav-audit"));
            browser.await(By.id("action")).sendKeys("create");
            new Select(browser.find(By.id("entityType"))).selectByValue("server");
            Awaitility.await().atMost(BrowserSession.PATIENCE).until(() -> {
                browser.submit(By.id("filter-audit"));
                return browser.pageText().contains(server);
            });
            assertThat(browser.driver().findElements(By.id("error"))).isEmpty();
        }
    }

}
