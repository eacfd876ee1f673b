package dev.apikeyauth.docs;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.apikeyauth.testsupport.RunningApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Slow, needs a browser: {@code /docs} in real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}), as a person uses it: sees {@code GET /}, authorizes with a key, tries
 * it and reads the 200 body. Leaves screenshots in
 * {@code target/screenshots/}: {@code docs-overview.png} and {@code docs.png} (the 200).
 *
 * <p>With no browser installed it is skipped on a laptop, but fails in CI ({@code CI=true}), so a
 * CI machine without the packages can't pass it silently.
 */
class DocsBrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "screenshots", "docs.png");
    static final Path OVERVIEW = Path.of("target", "screenshots", "docs-overview.png");
    static final Path FAILURE = Path.of("target", "screenshots", "docs-failure.png");
    static final String GET_ROOT = "#operations-greeting-hello";
    /**
     * Plain WebDriver is all this test uses; Selenium still looks for DevTools bindings matching the
     * browser (none are on the classpath, on purpose) and warns. Held here so the level sticks.
     */
    static final Logger CDP_LOOKUP = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_LOOKUP.setLevel(Level.SEVERE);
    }

    @Test
    void docsPage_authorizesWithAKey_andTriesGetRoot(@TempDir Path profile) throws IOException {
        requireBrowser();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        // The system browser and driver: Selenium Manager has nothing to look up or download.
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,1400");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriver browser = new ChromeDriver(service, options);
        try (RunningApp app = RunningApp.withTestKey()) {
            use(browser, app);
            save(browser, SCREENSHOT);
        } catch (RuntimeException | AssertionError e) {
            // What the page showed when it went wrong, for whoever reads the CI log.
            save(browser, FAILURE);
            Files.writeString(FAILURE.resolveSibling("docs-failure.html"), browser.getPageSource());
            throw e;
        } finally {
            browser.quit();
        }
    }

    private static void use(ChromeDriver browser, RunningApp app) throws IOException {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get("http://127.0.0.1:" + app.port() + "/docs");

        WebElement operation = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(GET_ROOT)));
        assertEquals("GET", operation.findElement(By.cssSelector(".opblock-summary-method")).getText());
        assertEquals("/", operation.findElement(By.cssSelector(".opblock-summary-path")).getAttribute("data-path"));
        save(browser, OVERVIEW);

        click(wait, ".auth-wrapper button.authorize");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux input")))
                .sendKeys(KEY);
        click(wait, ".modal-ux button[aria-label='Apply credentials']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux button[aria-label='Remove authorization']")));
        click(wait, ".modal-ux button.btn-done");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".modal-ux")));

        click(wait, GET_ROOT + " .opblock-summary-control");
        click(wait, GET_ROOT + " button.try-out__btn");
        click(wait, GET_ROOT + " button.execute");

        By status = By.cssSelector(GET_ROOT + " .live-responses-table .response .response-col_status");
        wait.until(ExpectedConditions.textToBe(status, "200"));
        By body = By.cssSelector(GET_ROOT + " .live-responses-table .response-col_description pre.microlight");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(body, "Hello, World!"));
        String shown = browser.findElement(body).getText().replaceAll("\\s+", "");
        assertEquals("{\"message\":\"Hello,World!\"}", shown);
        // The request Swagger UI made carried the key the person entered.
        String curl = browser.findElement(By.cssSelector(GET_ROOT + " .curl-command")).getText();
        assertTrue(curl.contains("Authorization: Bearer " + KEY), curl);

        WebElement response = browser.findElement(By.cssSelector(GET_ROOT + " .live-responses-table"));
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'});", response);

        // No script error, failed load or Content-Security-Policy refusal along the way.
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .toList();
        assertEquals(List.of(), errors);
    }

    private static void save(ChromeDriver browser, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }

    private static void click(WebDriverWait wait, String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    private static void requireBrowser() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String missing = "needs " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing);
        }
        Assumptions.assumeTrue(false, missing + "; skipped outside CI");
    }
}
