package io.charrnn.examples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.charrnn.diagnostics.Diagnostics;
import io.charrnn.diagnostics.GateSaturation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The playground in a real browser: Debian's headless Chromium driven through its chromedriver
 * (installed by {@code .ci/install-browser} when missing; no driver downloads). Screenshots go to
 * {@code target/playground-*.png}.
 */
class PlaygroundBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static RnnModel model;
    static GenerateServer server;
    static WebDriver driver;
    static Path profile;

    @BeforeAll
    static void start() throws Exception {
        installBrowserIfMissing();
        model = PlaygroundModel.train();
        server = GenerateServer.builder(model).threads(4).start();
        profile = Files.createTempDirectory("charrnn-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** Runs the project's install script when the browser is missing; the test fails if that does not help. */
    static void installBrowserIfMissing() throws Exception {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        Path script = Path.of("..", ".ci", "install-browser").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(script.toString()).inheritIO().start();
        int rc = p.waitFor();
        if (rc != 0 || !Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + "; " + script
                    + " exited with " + rc + " and did not install them (run it as root)");
        }
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static WebDriverWait await() {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    private static void screenshot(String name) throws IOException {
        Path target = Path.of("target", "playground-" + name + ".png");
        Files.createDirectories(target.getParent());
        Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** Sizes the window so that the page itself (the viewport) is {@code width × height}. */
    private static void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        long dw = (Long) js("return window.outerWidth - window.innerWidth;");
        long dh = (Long) js("return window.outerHeight - window.innerHeight;");
        driver.manage().window().setSize(new Dimension(width + (int) dw, height + (int) dh));
        assertEquals(List.of((long) width, (long) height), js("return [window.innerWidth, window.innerHeight];"));
    }

    private static void tab(String name) {
        driver.findElement(By.cssSelector("#tabs button[data-tab=" + name + "]")).click();
    }

    private static void setInput(String id, String value) {
        js("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                + "e.dispatchEvent(new Event('input', {bubbles: true}));", id, value);
    }

    private static String apiText(String query) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + query)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String generatedText() {
        return (String) js("const p = document.querySelector('#outputs pre'); return p ? p.textContent : null;");
    }

    @Test
    void thePlayground_generatesScoresAndLooksInside_atDesktopAndPhoneWidths() throws Exception {
        driver.get("http://127.0.0.1:" + server.port() + "/");
        viewport(1280, 800);
        await().until(d -> !d.findElement(By.id("model-summary")).getText().isEmpty());
        assertTrue(driver.findElement(By.id("model-summary")).getText().startsWith("LSTM · 1×32"));

        // Generate: text grows as it streams, and equals the API's text for the same settings
        setInput("prime", "<script>");
        setInput("length", "2000");
        setInput("mode", "greedy");
        js("document.getElementById('mode').value = 'greedy';");
        js("window.lengths = []; new MutationObserver(() => { const p = document.querySelector('#outputs pre');"
                + " if (p) window.lengths.push(p.textContent.length); })"
                + ".observe(document.getElementById('outputs'), {childList: true, subtree: true});");
        driver.findElement(By.id("generate")).click();
        await().until(d -> {
            String t = generatedText();
            return t != null && t.codePointCount(0, t.length()) == 2000;
        });
        @SuppressWarnings("unchecked")
        List<Long> lengths = ((List<Long>) js("return window.lengths;")).stream().distinct().toList();
        assertTrue(lengths.size() >= 3, "the text grew in steps as it streamed: " + lengths);
        assertEquals(apiText("/api/generate?prime=%3Cscript%3E&length=2000&seed=1&greedy=true"), generatedText());
        // the model writes markup: it is shown as text, and nothing in the output is an element
        assertTrue(generatedText().contains("<script>alert(1)</script>"), generatedText());
        assertEquals(0L, js("return document.querySelector('#outputs pre').children.length;"));
        assertEquals(0L, js("return document.querySelectorAll('#outputs script, #outputs img').length;"));
        assertTrue(((String) js("return document.getElementById('generate-status').dataset.firstCharMs;")) != null);
        screenshot("generate-1280");

        // the temperature control shows its value, and the text follows it
        js("document.getElementById('mode').value = 'sample';");
        setInput("temperature", "1.5");
        assertEquals("1.50", driver.findElement(By.id("temperature-value")).getText());
        setInput("length", "300");
        setInput("samples", "2");
        driver.findElement(By.id("generate")).click();
        await().until(d -> ((Long) js("return document.querySelectorAll('#outputs pre').length;")) == 2
                && d.findElements(By.cssSelector("#outputs h4")).stream()
                        .allMatch(h -> h.getText().endsWith("done")));
        String hot = generatedText();
        assertEquals(apiText("/api/generate?prime=%3Cscript%3E&length=300&seed=1&temperature=1.5"), hot);
        assertNotEquals(apiText("/api/generate?prime=%3Cscript%3E&length=300&seed=1&temperature=0.5"), hot);
        String second = (String) js("return document.querySelectorAll('#outputs pre')[1].textContent;");
        assertEquals(apiText("/api/generate?prime=%3Cscript%3E&length=300&seed=2&temperature=1.5"), second);
        screenshot("generate-samples-1280");
        // a stop string, written with \\n as the field asks, ends the text before it
        setInput("stop-at", "\\n");
        setInput("samples", "1");
        driver.findElement(By.id("generate")).click();
        await().until(d -> d.findElements(By.cssSelector("#outputs h4")).stream()
                .allMatch(h -> h.getText().endsWith("done")));
        assertTrue(hot.indexOf('\n') > 0, hot);
        assertEquals(hot.substring(0, hot.indexOf('\n')), generatedText());
        setInput("stop-at", "");

        // Score: each character coloured, and its tooltip gives the model's probability for it
        tab("score");
        String text = "the cat (in brackets) sat€";
        setInput("score-text", text);
        driver.findElement(By.id("score")).click();
        await().until(d -> d.findElements(By.cssSelector("#score-out span")).size() == text.length());
        String body = "{\"text\": \"" + text + "\"}";
        JsonObject scored = JsonParser.parseString(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/score"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body())
                .getAsJsonObject();
        WebElement c = driver.findElements(By.cssSelector("#score-out span")).get(9);
        new Actions(driver).moveToElement(c).perform();
        WebElement tip = driver.findElement(By.id("tooltip"));
        await().until(d -> tip.isDisplayed());
        double p = scored.getAsJsonArray("chars").get(9).getAsJsonObject().get("p").getAsDouble();
        assertTrue(tip.getText().startsWith("i  p=" + String.format(Locale.ROOT, "%.4f", p)), tip.getText());
        assertTrue(tip.getText().contains("model expected:"), tip.getText());
        assertEquals("oov", driver.findElements(By.cssSelector("#score-out span")).get(text.length() - 1)
                .getAttribute("class"));
        assertTrue(driver.findElement(By.id("score-totals")).getText().contains("bits/char"));
        screenshot("score-1280");

        // Neurons: the colouring follows the returned activations of the chosen unit
        tab("neurons");
        String statesText = PlaygroundModel.TEXT.repeat(2);
        setInput("states-text", statesText);
        driver.findElement(By.id("read")).click();
        await().until(d -> d.findElements(By.cssSelector("#states-out span")).size() == statesText.length());
        setInput("unit", "5");
        float[][] h = Diagnostics.hiddenStates(model, statesText, 0);
        List<WebElement> spans = driver.findElements(By.cssSelector("#states-out span"));
        for (int t = 0; t < statesText.length(); t += 7) {
            WebElement s = spans.get(t);
            assertEquals(h[t][5], Double.parseDouble(s.getAttribute("data-value")), 1e-3, "at " + t);
            String colour = s.getCssValue("background-color");
            double alpha = alpha(colour);
            assertEquals(Math.min(1, Math.abs(h[t][5])) * 0.8, alpha, 0.01, colour + " at " + t);
            String hue = h[t][5] > 0 ? "rgba(220, 38, 38" : "rgba(37, 99, 235";
            assertTrue(Math.abs(h[t][5]) < 0.01 || colour.startsWith(hue),
                    colour + " for " + h[t][5]);
        }
        // the LSTM's gate saturation: one plot per sigmoid gate, one dot per unit, the means as the library's
        List<WebElement> gates = driver.findElements(By.cssSelector("#gates-out .gate"));
        assertEquals(List.of("input", "forget", "output"), gates.stream().map(g -> g.getAttribute("data-gate"))
                .toList());
        assertTrue(driver.findElement(By.id("gates")).isDisplayed());
        GateSaturation saturation = Diagnostics.gateSaturation(model, statesText, 0);
        for (int g = 0; g < 3; g++) {
            assertEquals(32, gates.get(g).findElements(By.cssSelector("svg circle")).size());
            assertTrue(gates.get(g).getText().contains(String.format(java.util.Locale.ROOT, "left-saturated %.1f%%",
                    saturation.meanLeftSaturated(g) * 100)), gates.get(g).getText());
        }
        setInput("pattern", "\\([^)]*\\)");
        driver.findElement(By.id("find")).click();
        await().until(d -> !d.findElements(By.cssSelector("#units-out li")).isEmpty());
        WebElement best = driver.findElements(By.cssSelector("#units-out li")).get(0);
        assertTrue(best.getText().matches("unit \\d+: score -?[0-9.]+ \\(mean inside .*"), best.getText());
        best.click();
        await().until(d -> d.findElement(By.id("unit")).getAttribute("value").equals(best.getAttribute("data-unit")));
        screenshot("neurons-1280");

        // Model card: its table and the loss curve drawn from the history
        tab("model");
        assertTrue(driver.findElement(By.id("model-table")).getText().contains("150 steps"));
        assertEquals(1L, js("return document.querySelectorAll('#loss-curve svg').length;"));
        assertTrue((Long) js("return document.querySelectorAll('#loss-curve polyline').length;") >= 2);
        screenshot("model-1280");

        // a phone's width: nothing wider than the screen on any tab
        // Chromium keeps its window at least 500 px wide: a phone's screen is emulated instead
        ((ChromeDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of(
                "width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        assertEquals(List.of(390L, 844L), js("return [window.innerWidth, window.innerHeight];"));
        for (String name : new String[] {"generate", "score", "neurons", "model"}) {
            tab(name);
            long overflow = (Long) js("return document.documentElement.scrollWidth"
                    + " - document.documentElement.clientWidth;");
            assertTrue(overflow <= 0, name + " is " + overflow + " px wider than a phone's screen");
            screenshot(name + "-390");
        }
        ((ChromeDriver) driver).executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
    }

    private static double alpha(String rgba) {
        if (!rgba.startsWith("rgba(")) {
            return rgba.equals("rgba(0, 0, 0, 0)") ? 0 : 1;
        }
        String[] parts = rgba.substring(5, rgba.length() - 1).split(",");
        return Double.parseDouble(parts[3].trim());
    }

    @Test
    void stop_cancelsTheGenerationsOnTheServer() throws Exception {
        // a large untrained model, so that four 10,000-character generations take seconds
        RnnModel slow = RnnModel.builder().vocabulary(model.vocabulary().orElseThrow()).cell(CellType.LSTM)
                .hidden(768).seed(2).build();
        try (GenerateServer big = GenerateServer.builder(slow).threads(4).queue(8)
                .queueTimeout(Duration.ofMillis(500)).start()) {
            driver.manage().window().setSize(new Dimension(1280, 800));
            driver.get("http://127.0.0.1:" + big.port() + "/");
            await().until(d -> !d.findElement(By.id("model-summary")).getText().isEmpty());
            setInput("length", "10000");
            setInput("samples", "4");
            driver.findElement(By.id("generate")).click();
            await().until(d -> {
                String t = generatedText();
                return t != null && !t.isEmpty();
            });
            driver.findElement(By.id("stop")).click();
            await().until(d -> d.findElement(By.id("generate")).isEnabled());
            List<String> headers = driver.findElements(By.cssSelector("#outputs h4")).stream().map(WebElement::getText)
                    .toList();
            assertEquals(4, headers.size());
            assertTrue(headers.stream().allMatch(h -> h.endsWith("stopped")), headers.toString());
            // the four threads are free again: four requests at once are all served, none waits 0.5 s and gets 503
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> after = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                after.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + big.port()
                        + "/api/generate?length=1")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (var r : after) {
                assertEquals(200, r.join().statusCode(), r.join().body());
            }
        }
    }
}
