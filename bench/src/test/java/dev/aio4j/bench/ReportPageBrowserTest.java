package dev.aio4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The page as a reader gets it: drawn by {@link Report} from the committed
 * fixture (no measuring) and opened in a real headless Chromium (Debian's
 * {@code chromium} and {@code chromium-driver}, installed here when missing
 * and we are root; skipped, saying why, elsewhere, but never under CI). Leaves
 * {@code target/report-browser/} with the page and {@code screenshot.png} beside it.
 */
class ReportPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path OUT = Path.of("target/report-browser");

    private static ChromeDriver browser;

    @BeforeAll
    static void drawThePageAndOpenIt() throws Exception {
        Optional<String> missing = ensureChromium();
        // CI runs as root with Debian's packages reachable: there a missing browser is a failure, not a skip.
        assertFalse(missing.isPresent() && "true".equals(System.getenv("CI")),
                () -> "CI must run the page test: " + missing.orElseThrow());
        missing.ifPresent(reason -> System.err.println("ReportPageBrowserTest skipped: " + reason));
        Assumptions.assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());

        StringWriter err = new StringWriter();
        int code = Report.run(new String[] {"--results", ReportViewTest.fixture("results.json").toString(),
                "--tck", ReportViewTest.fixture("tck").toString(), "--out", OUT.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium tries the network at start, and on a closed one it fails.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("aio4j-chromium"), "--window-size=1500,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.get(OUT.resolve("index.html").toUri().toString());
    }

    @AfterAll
    static void keepAScreenshotAndClose() throws IOException {
        if (browser == null) {
            return;
        }
        try {
            long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
            browser.manage().window().setSize(new Dimension(1500, (int) Math.min(height + 100, 12_000)));
            Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, OUT.resolve("screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
            System.err.println("ReportPageBrowserTest: screenshot " + OUT.resolve("screenshot.png").toAbsolutePath());
        } finally {
            browser.quit();
        }
    }

    /** The text of the cell of {@code row} under the column headed {@code column}, in table {@code id}. */
    private static WebElement cell(String id, String row, String column) {
        List<WebElement> heads = browser.findElements(By.cssSelector("table#" + id + " thead th"));
        int index = -1;
        for (int i = 0; i < heads.size(); i++) {
            if (heads.get(i).getText().equals(column)) {
                index = i;
            }
        }
        assertTrue(index > 0, "no column " + column + " in table " + id);
        return browser.findElement(By.xpath("//table[@id='" + id + "']/tbody/tr[th='" + row + "']/*[" + (index + 1) + "]"));
    }

    @Test
    void figuresTableHasEverySubjectAndWorkload() {
        List<WebElement> rows = browser.findElements(By.cssSelector("table#figures tbody tr"));
        assertEquals(10, rows.size(), "3 backends, 5 peers, asyncio and uvloop");
        for (Workload w : Workload.values()) {
            assertFalse(browser.findElements(By.xpath("//table[@id='figures']/thead//a[text()='" + w.id() + "']")).isEmpty(),
                    "no column for " + w.id());
        }
        assertEquals("155.4k ± 12.4k", cell("figures", "netty", "echo").getText());
    }

    @Test
    void skippedCellsSayWhyInPlace() {
        WebElement skipped = cell("figures", "peer:completablefuture", "echo");
        assertEquals("skipped: CompletableFuture has no sockets", skipped.getText());
        assertEquals("skipped", skipped.getAttribute("class"));
        WebElement failed = cell("vs-asyncio", "uvloop", "timers");
        assertTrue(failed.getText().startsWith("FAILED: RuntimeError"), failed.getText());
        assertTrue(failed.getAttribute("class").contains("failed"));
        String notes = browser.findElement(By.id("chart-missing")).getText();
        assertTrue(notes.contains("peer:vertx-virtual-threads on callsoon, sleep0, timers, executor, async_tree, echo: not selected"), notes);
    }

    @Test
    void choiceTablePicksFromTheFigures() {
        WebElement echoRow = browser.findElement(By.xpath("//table[contains(@class,'choose')]/tbody/tr[td/a[@href='#workload-echo']]"));
        assertEquals("netty", echoRow.findElement(By.tagName("th")).getText());
        assertTrue(echoRow.getText().contains("--enable-native-access=ALL-UNNAMED"), echoRow.getText());
    }

    @Test
    void chartImageIsLoaded() {
        WebElement img = browser.findElement(By.cssSelector("img[src='chart.png']"));
        Object width = browser.executeScript("return arguments[0].complete ? arguments[0].naturalWidth : -1", img);
        assertEquals(1400L, width, "chart.png did not load");
    }

    @Test
    void everyLinkLeadsSomewhere() {
        List<String> broken = new ArrayList<>();
        for (WebElement a : browser.findElements(By.cssSelector("a[href]"))) {
            String href = a.getAttribute("href");
            URI uri = URI.create(href);
            if (uri.getFragment() != null && href.startsWith(browser.getCurrentUrl().replaceAll("#.*", "") + "#")) {
                if (browser.findElements(By.id(uri.getFragment())).isEmpty()) {
                    broken.add(href);
                }
            } else if (!"file".equals(uri.getScheme()) || !Files.isRegularFile(Path.of(uri))) {
                broken.add(href);
            }
        }
        assertTrue(broken.isEmpty(), "broken links: " + broken);
        assertTrue(browser.findElements(By.cssSelector("a[href]")).size() >= 20, "the nav, the workload columns and the files");
    }

    @Test
    void projectTargetsComeLastAndNowhereElse() {
        List<WebElement> sections = browser.findElements(By.tagName("h2"));
        assertEquals("Project targets", sections.getLast().getText());
        String page = browser.findElement(By.tagName("body")).getText();
        String main = page.substring(0, page.lastIndexOf("Project targets"));
        for (String internal : List.of("NOT MET", "not met", "BRIEF", "issue ")) {
            assertFalse(main.contains(internal), "the reader's part mentions '" + internal + "'");
        }
        assertTrue(page.substring(page.lastIndexOf("Project targets")).contains("met"));
    }

    @Test
    void machineAndMemoryAreStated() {
        String machine = browser.findElement(By.xpath("//h2[@id='machine']/following-sibling::table[1]")).getText();
        for (String key : List.of("cores", "memory", "os", "jdk", "python")) {
            assertTrue(machine.contains(key), "machine table lacks " + key + ": " + machine);
        }
        assertTrue(browser.findElement(By.tagName("body")).getText().contains("peaks at about 3.3 GB"));
    }

    // ------------------------------------------------------------------ Chromium

    /** Empty when Chromium and its driver are here (installing them with apt-get when root), else why not. */
    static Optional<String> ensureChromium() throws InterruptedException {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return Optional.empty();
        }
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            return Optional.of("no " + CHROMIUM + " or " + CHROMEDRIVER + ", and not root with apt-get to install them"
                    + " (apt-get install chromium chromium-driver)");
        }
        System.err.println("ReportPageBrowserTest: installing chromium and chromium-driver with apt-get");
        if (!apt("install", "-y", "-q", "chromium", "chromium-driver")) {
            // The package lists may be stale or absent on a fresh machine.
            if (!apt("update", "-q") || !apt("install", "-y", "-q", "chromium", "chromium-driver")) {
                return Optional.of("apt-get could not install chromium and chromium-driver (see target/apt-get.log)");
            }
        }
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER) ? Optional.empty()
                : Optional.of("apt-get installed chromium, yet " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    }

    private static boolean apt(String... args) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/apt-get"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target/apt-get.log").toFile()));
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
