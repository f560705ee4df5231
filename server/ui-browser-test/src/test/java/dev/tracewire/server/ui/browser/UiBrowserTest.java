package dev.tracewire.server.ui.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracewire.server.app.TracewireServer;
import dev.tracewire.server.storage.duckdb.DuckDbSpanStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The real server (DuckDB in a temp dir) behind a real headless Chromium: from the empty state,
 * through a search for traces with findings, to the finding at its hop, across the inferred
 * connection to the other half, the red edge on the service map and the lost-hops table. Span data
 * carries script and HTML payloads throughout; none may run.
 */
class UiBrowserTest {
  @TempDir Path dataDir;
  @TempDir Path profile;
  DuckDbSpanStore store;
  TracewireServer server;
  ChromeDriver driver;
  String base;

  @BeforeEach
  void start() {
    driver = Browser.start(profile);
    store = DuckDbSpanStore.open(dataDir);
    server = TracewireServer.start(UiServer.config().build(), store);
    base = UiServer.base(server);
  }

  @AfterEach
  void stop() {
    UiServer.stop(driver, server, store);
  }

  @Test
  void emptyState_thenSplitTrace_findingAtItsHop_otherHalf_mapEdge_lostHops() throws Exception {
    driver.get(base);
    WebElement empty =
        Browser.waitFor(driver)
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("empty-state")));
    assertThat(empty.getText())
        .contains(":4318/v1/traces", ":9411/api/v2/spans", "curl", "./tracewire server --demo");
    Browser.screenshot(driver, "empty-state");

    Fixtures fx = new Fixtures();
    Otlp otlp = new Otlp();
    fx.addTo(otlp, System.currentTimeMillis() * 1_000_000L);
    otlp.send(server.otlpHttpPort());
    flush();
    JsonNode findings = getJson("api/v1/findings?kind=context_stripped").get("findings");
    assertThat(findings).as("the analysis found the stripped hop").hasSize(1);
    JsonNode stripped = findings.get(0);
    String hint = stripped.get("hint").asText();

    // Search: only traces with findings
    driver.get(base + "#/search");
    WebElement withFindings =
        Browser.waitFor(driver)
            .until(ExpectedConditions.elementToBeClickable(By.name("withFindings")));
    withFindings.click();
    driver.findElement(By.id("search-button")).click();
    awaitView("withFindings=true");
    Browser.waitFor(driver)
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".trace-row")));
    List<WebElement> rows = driver.findElements(By.cssSelector(".trace-row"));
    assertThat(rows)
        .extracting(r -> r.getAttribute("data-trace-id"))
        .contains(fx.splitFront)
        .allMatch(id -> id.equals(fx.splitFront) || id.equals(fx.splitBack) || isFinding(id));
    WebElement front =
        driver.findElement(By.cssSelector(".trace-row[data-trace-id='" + fx.splitFront + "']"));
    assertThat(front.getText()).contains("1 finding", "1 error", "frontend", "orders");
    assertThat(front.getText()).contains(Fixtures.SERVICE_PAYLOAD);
    Browser.screenshot(driver, "search");

    // Trace: the finding at the exit span of orders → payments, with blame and hint
    front.findElement(By.cssSelector("a.trace-title")).click();
    WebElement findingRow =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".wf-row.has-finding")));
    assertThat(findingRow.getAttribute("data-span-id")).isEqualTo(fx.strippedExit);
    assertThat(findingRow.getText()).contains("orders", "context_stripped");
    WebElement card = driver.findElement(By.cssSelector("#trace-findings .finding-card"));
    assertThat(card.getText())
        .contains("orders → payments", "http", "blame: " + stripped.get("blame").asText(), hint);
    assertThat(driver.findElement(By.id("span-details")).getText())
        .contains(fx.strippedExit, "tracewire.propagation.injected");
    // the injected name is shown as text, exactly
    assertThat(driver.findElements(By.cssSelector(".wf-row .name")))
        .extracting(WebElement::getText)
        .contains(Fixtures.NAME_PAYLOAD);
    WebElement cause = driver.findElement(By.cssSelector(".wf-row.root-cause"));
    assertThat(cause.getText()).contains(Fixtures.NAME_PAYLOAD, "root cause");
    assertThat(driver.findElements(By.cssSelector(".wf-row.critical"))).isNotEmpty();
    Path trace = Browser.screenshot(driver, "trace-with-finding");
    String docs = System.getProperty("tracewire.docs", "");
    if (!docs.isBlank()) {
      Files.createDirectories(Paths.get(docs));
      Files.copy(trace, Paths.get(docs, "trace-view.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    cause.click();
    Browser.waitFor(driver)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("span-details"), Fixtures.ATTRIBUTE_PAYLOAD));

    // The dashed inferred connection opens the other half, at the entry span
    driver.findElement(By.cssSelector(".wf-row.inferred a.inferred-link")).click();
    awaitView(fx.splitBack);
    WebElement entry =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".wf-row.selected")));
    assertThat(entry.getAttribute("data-span-id")).isEqualTo(fx.strippedEntry);
    assertThat(entry.getText()).contains("payments", "context_stripped");
    Browser.screenshot(driver, "trace-other-half");
    // and back again
    driver.findElement(By.cssSelector("a.other-half")).click();
    awaitView(fx.splitFront);
    Browser.waitFor(driver)
        .until(
            ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".wf-row.has-finding")));

    // A batch consumer's link opens the producer's trace at the producer span
    driver.get(base + "#/trace/" + fx.kafkaConsumerTrace);
    awaitView(fx.kafkaConsumerTrace);
    Browser.waitFor(driver)
        .until(ExpectedConditions.elementToBeClickable(By.cssSelector(".wf-row .name")))
        .click();
    Browser.waitFor(driver)
        .until(ExpectedConditions.elementToBeClickable(By.cssSelector("#span-details a.span-link")))
        .click();
    awaitView(fx.kafkaProducerTrace);
    WebElement producer =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".wf-row.selected")));
    assertThat(producer.getAttribute("data-span-id")).isEqualTo(fx.kafkaProducer);

    // Clock skew is corrected in the drawing, and said so
    driver.get(base + "#/trace/" + fx.skewedTrace);
    awaitView(fx.skewedTrace);
    WebElement skew =
        Browser.waitFor(driver)
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("skew-note")));
    assertThat(skew.getText()).contains("inventory", "Clock skew corrected");
    Browser.screenshot(driver, "trace-clock-skew");

    // Service map: the red edge lists its finding; Kafka's topic is a node of its own
    driver.get(base + "#/map");
    WebElement red =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(
                        "#service-map g.edge.broken[data-from='orders'][data-to='payments']")));
    assertThat(driver.findElements(By.cssSelector("#service-map g.node.destination")))
        .extracting(e -> e.getAttribute("data-node"))
        .contains("orders.created");
    red.findElement(By.cssSelector("text.edge-label")).click();
    Browser.waitFor(driver)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#edge-findings .finding-item[data-kind='context_stripped']")));
    assertThat(driver.findElement(By.id("edge-findings")).getText())
        .contains("orders → payments", "1 broken", hint);
    Browser.screenshot(driver, "service-map");

    // Lost hops: grouped by edge and kind
    driver.get(base + "#/lost");
    WebElement lost =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(
                        "#lost-hops .lost-row[data-from='orders'][data-to='payments']")));
    assertThat(lost.getText()).contains("context_stripped", "1", hint);
    Browser.screenshot(driver, "lost-hops");

    assertThat(driver.executeScript("return typeof window.__pwned"))
        .as("no payload in span data ran")
        .isEqualTo("undefined");
  }

  /** Waits until the page has rendered the route whose hash contains {@code part}. */
  void awaitView(String part) {
    Browser.waitFor(driver)
        .until(ExpectedConditions.attributeContains(By.id("view"), "data-route", part));
  }

  boolean isFinding(String traceId) {
    try {
      return getJson("api/v1/traces/" + traceId).get("findings").size() > 0;
    } catch (Exception e) {
      return false;
    }
  }

  void flush() throws Exception {
    HttpResponse<String> r =
        Otlp.HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "api/v1/analysis/flush"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r =
        Otlp.HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return Otlp.JSON.readTree(r.body());
  }
}
