package dev.tracewire.server.ui.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracewire.server.app.TracewireServer;
import dev.tracewire.server.simulator.SimulateCommand;
import dev.tracewire.server.storage.InMemorySpanStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import picocli.CommandLine;

/**
 * The server (memory storage, as {@code --demo} runs it) fed by {@code tracewire simulate} over
 * OTLP and Zipkin (a shop of services over HTTP, gRPC, messaging and mesh proxies, contexts
 * stripped on some hops): the UI finds the traces with findings, shows a stripped hop at its span,
 * joins the two halves, and the map and lost-hops views show the broken edges.
 */
class SimulatedTrafficBrowserTest {
  @TempDir Path profile;
  InMemorySpanStore store;
  TracewireServer server;
  ChromeDriver driver;
  String base;

  @BeforeEach
  void start() {
    driver = Browser.start(profile);
    store = InMemorySpanStore.create(); // as with --demo
    server = TracewireServer.start(UiServer.config().build(), store);
    base = UiServer.base(server);
  }

  @AfterEach
  void stop() {
    UiServer.stop(driver, server, store);
  }

  @Test
  void simulatedShop_findingsSearchedShownJoinedMappedAndListed() throws Exception {
    StringWriter out = new StringWriter();
    int exit =
        new CommandLine(new SimulateCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(out))
            .execute(
                "--rate",
                "20",
                "--duration",
                "15s",
                "--seed",
                "7",
                "--faults",
                "context_stripped=0.15,context_not_injected=0.05",
                "--otlp",
                "http://127.0.0.1:" + server.otlpHttpPort(),
                "--zipkin",
                "http://127.0.0.1:" + server.zipkinPort(),
                "--no-realtime");
    assertThat(exit).as(out.toString()).isZero();
    flush();

    JsonNode stripped = getJson("api/v1/findings?kind=context_stripped&limit=1000").get("findings");
    JsonNode split = null;
    for (JsonNode f : stripped) {
      if (f.get("traceIds").size() == 2 && f.get("spanIds").size() == 2) split = f;
    }
    assertThat(split).as("a stripped hop that split its trace, among " + stripped).isNotNull();

    // Search for traces with findings; the first result shows its finding at a span of its own
    driver.get(base + "#/search?withFindings=true&limit=100");
    awaitView("withFindings=true");
    WebElement first =
        Browser.waitFor(driver)
            .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".trace-row")));
    String firstTrace = first.getAttribute("data-trace-id");
    assertThat(Integer.parseInt(first.getAttribute("data-findings"))).isPositive();
    Browser.screenshot(driver, "sim-search");
    first.findElement(By.cssSelector("a.trace-title")).click();
    awaitView(firstTrace);
    Browser.waitFor(driver)
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#trace-findings")));
    List<String> findingSpans = new ArrayList<>();
    for (JsonNode f : getJson("api/v1/traces/" + firstTrace).get("findings")) {
      f.get("spanIds").forEach(id -> findingSpans.add(id.asText()));
    }
    List<WebElement> marked = driver.findElements(By.cssSelector(".wf-row.has-finding"));
    if (!marked.isEmpty()) {
      assertThat(findingSpans).contains(marked.get(0).getAttribute("data-span-id"));
    }

    // The split trace: finding at the exit span with its hint; the inferred connection opens the
    // other half at the entry span
    String exitTrace = split.get("traceIds").get(0).asText();
    String exitSpan = split.get("spanIds").get(0).asText();
    String entryTrace = split.get("traceIds").get(1).asText();
    String entrySpan = split.get("spanIds").get(1).asText();
    driver.get(base + "#/trace/" + exitTrace);
    awaitView(exitTrace);
    WebElement row =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".wf-row.has-finding[data-span-id='" + exitSpan + "']")));
    assertThat(row.getText()).contains("context_stripped");
    assertThat(driver.findElement(By.id("trace-findings")).getText())
        .contains(split.get("hint").asText(), "blame: " + split.get("blame").asText());
    Browser.screenshot(driver, "sim-trace");
    driver
        .findElement(By.cssSelector(".wf-row.inferred[data-trace='" + entryTrace + "'] a"))
        .click();
    awaitView(entryTrace);
    WebElement entry =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".wf-row.selected")));
    assertThat(entry.getAttribute("data-span-id")).isEqualTo(entrySpan);
    Browser.screenshot(driver, "sim-trace-other-half");

    // Service map: a red edge lists its findings
    driver.get(base + "#/map");
    awaitView("#/map");
    String from = split.get("hop").get("from").asText();
    String to = split.get("hop").get("to").asText();
    WebElement edge =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(
                        "#service-map g.edge.broken[data-from='"
                            + from
                            + "'][data-to='"
                            + to
                            + "']")));
    edge.findElement(By.cssSelector("text.edge-label")).click();
    Browser.waitFor(driver)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#edge-findings .finding-item")));
    assertThat(driver.findElement(By.id("edge-findings")).getText()).contains(from + " → " + to);
    Browser.screenshot(driver, "sim-service-map");

    driver.get(base + "#/lost");
    awaitView("#/lost");
    Browser.waitFor(driver)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#lost-hops .lost-row[data-kind='context_stripped']")));
    Browser.screenshot(driver, "sim-lost-hops");
  }

  void awaitView(String part) {
    Browser.waitFor(driver)
        .until(ExpectedConditions.attributeContains(By.id("view"), "data-route", part));
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
