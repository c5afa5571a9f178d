package dev.switchboard.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through the system chromedriver: one browser per session, always quit on
 * {@link #close()}. Selenium Manager is never asked to download anything: the binaries are named explicitly
 * (CHROMIUM_BINARY and CHROMEDRIVER_BINARY override /usr/bin/chromium and /usr/bin/chromedriver).
 *
 * <p>Without a browser the test is skipped on a developer's machine, but fails on CI ({@code CI=true}), where
 * .ci/run installs {@code chromium} and {@code chromium-driver}: a missing browser must not turn into a green run.
 */
public final class BrowserSession implements AutoCloseable {

    /** Every wait for a page condition gives up after this long. */
    public static final Duration PATIENCE = Duration.ofSeconds(15);

    private final WebDriver driver;

    private BrowserSession(WebDriver driver) {
        this.driver = driver;
    }

    /** Starts a fresh headless browser (no cookies, no cache). */
    public static BrowserSession open() {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver"));
        boolean present = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but Chromium is missing (" + chromium + ", " + chromedriver
                    + "): install Debian's chromium and chromium-driver, as .ci/run does");
        }
        assumeTrue(present, "Chromium is not installed (apt-get install chromium chromium-driver)");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.manage().timeouts().pageLoadTimeout(PATIENCE).scriptTimeout(PATIENCE);
            return new BrowserSession(driver);
        } catch (RuntimeException e) {
            driver.quit();
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Loads {@code url} and waits for the document to be complete. */
    public BrowserSession go(String url) {
        driver.get(url);
        return this;
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Waits, up to {@link #PATIENCE}, until the browser's address starts with {@code prefix}. */
    public void awaitUrlStartingWith(String prefix) {
        try {
            new WebDriverWait(driver, PATIENCE).until(d -> d.getCurrentUrl() != null
                    && d.getCurrentUrl().startsWith(prefix));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the browser did not reach " + prefix + " but stayed at " + currentUrl()
                    + ", showing: " + pageText(), e);
        }
    }

    /** Waits, up to {@link #PATIENCE}, until an element matching {@code by} is on the page. */
    public WebElement await(By by) {
        try {
            return new WebDriverWait(driver, PATIENCE).until(d -> d.findElements(by).stream().findFirst().orElse(null));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no " + by + " at " + currentUrl() + ", showing: " + pageText(), e);
        }
    }

    /**
     * Clicks what sends a form or follows a link, and waits, up to {@link #PATIENCE}, until the browser shows a new
     * document: a later wait for an element must not find the old page's copy of it. The old page is marked with a
     * property of its window, which a new document does not have; asking while the browser is between the two may
     * fail, and is asked again.
     */
    public void submit(By by) {
        JavascriptExecutor script = (JavascriptExecutor) driver;
        script.executeScript("window.switchboardOldPage = true;");
        await(by).click();
        try {
            new WebDriverWait(driver, PATIENCE).until(d -> {
                try {
                    return Boolean.TRUE.equals(script.executeScript(
                            "return document.readyState === 'complete' && window.switchboardOldPage !== true;"));
                } catch (WebDriverException betweenPages) {
                    return false;
                }
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("clicking " + by + " did not leave " + currentUrl() + ", showing: " + pageText(),
                    e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
