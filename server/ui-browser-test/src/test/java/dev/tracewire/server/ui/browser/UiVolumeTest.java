package dev.tracewire.server.ui.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.app.TracewireServer;
import dev.tracewire.server.storage.duckdb.DuckDbSpanStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * 100,000 stored traces and one trace of 2,000 spans: search pages its results and the waterfall
 * keeps only the rows in view in the DOM. Times are measured and written to target/ui-volume.txt,
 * never asserted.
 */
class UiVolumeTest {
  static final int TRACES = 100_000;
  static final int BIG_TRACE_SPANS = 2_000;

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
  void hundredThousandTraces_search_andTwoThousandSpanWaterfall() throws Exception {
    List<String> report = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    long ingestStart = System.nanoTime();
    Otlp otlp = new Otlp();
    String[] services = {"frontend", "orders", "payments", "inventory", "billing"};
    for (int i = 0; i < TRACES; i++) {
      String trace = Otlp.traceId();
      String root = Otlp.spanId();
      long t = now - (TRACES - i) * 1_000_000L;
      String svc = services[i % services.length];
      otlp.span(
          svc,
          trace,
          root,
          null,
          "GET /item/" + (i % 50),
          Fixtures.SERVER,
          t,
          t + 1_000_000L + (i % 997) * 10_000L,
          Map.of("http.route", "/item"),
          i % 101 == 0,
          null);
      otlp.span(
          svc,
          trace,
          Otlp.spanId(),
          root,
          "SELECT items",
          Fixtures.INTERNAL,
          t + 100_000L,
          t + 900_000L,
          Map.of(),
          false,
          null);
      if (otlp.spans >= 5_000) otlp.send(server.otlpHttpPort());
    }
    if (otlp.spans > 0) otlp.send(server.otlpHttpPort());

    String big = Otlp.traceId();
    bigTrace(otlp, big, now);
    otlp.send(server.otlpHttpPort());
    report.add(
        String.format(
            "ingest: %d traces (%d spans) + one %d-span trace over OTLP/JSON in %d ms",
            TRACES, 2 * TRACES, BIG_TRACE_SPANS, (System.nanoTime() - ingestStart) / 1_000_000));

    // search: the newest 20, 100 (the UI's default) and 1,000 of 100,000 traces, paged 50 at a time
    for (int limit : new int[] {20, 100, 1000}) {
      long searchStart = System.nanoTime();
      driver.get(base + "#/search?limit=" + limit);
      WebElement results =
          Browser.waitFor(driver)
              .until(
                  ExpectedConditions.presenceOfElementLocated(
                      By.cssSelector(
                          "#view[data-route$='limit=" + limit + "'] #search-results[data-count]")));
      long searchMillis = (System.nanoTime() - searchStart) / 1_000_000;
      assertThat(results.getAttribute("data-count")).isEqualTo(String.valueOf(limit));
      assertThat(driver.findElements(By.cssSelector(".trace-row"))).hasSize(Math.min(limit, 50));
      report.add(
          String.format(
              "search (limit %d of %d stored): API answered in %s ms (browser fetch), page visible %d ms after navigation",
              limit, TRACES + 1, results.getAttribute("data-millis"), searchMillis));
    }
    Browser.screenshot(driver, "volume-search");

    // the 2,000-span waterfall
    long traceStart = System.nanoTime();
    driver.get(base + "#/trace/" + big);
    WebElement view =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(".view-trace[data-render-millis]")));
    long traceMillis = (System.nanoTime() - traceStart) / 1_000_000;
    assertThat(view.getAttribute("data-spans")).isEqualTo(String.valueOf(BIG_TRACE_SPANS));
    WebElement body = driver.findElement(By.id("waterfall"));
    assertThat(body.getAttribute("data-rows")).isEqualTo(String.valueOf(BIG_TRACE_SPANS));
    int inDom = driver.findElements(By.cssSelector("#waterfall .wf-row")).size();
    assertThat(inDom).as("only rows near the viewport are in the DOM").isLessThan(200);
    Browser.screenshot(driver, "volume-trace-2000");

    // scroll to the end: the last rows appear, still few rows in the DOM
    long scrollStart = System.nanoTime();
    driver.executeScript("arguments[0].scrollTop = arguments[0].scrollHeight", body);
    Browser.waitFor(driver)
        .until(
            d ->
                !d.findElements(
                        By.cssSelector("#waterfall .wf-row[data-span-id='" + lastSpan + "']"))
                    .isEmpty());
    long scrollMillis = (System.nanoTime() - scrollStart) / 1_000_000;
    assertThat(driver.findElements(By.cssSelector("#waterfall .wf-row")).size()).isLessThan(200);
    report.add(
        String.format(
            "trace view (%d spans): model + first draw %s ms in the page, visible %d ms after navigation"
                + " (incl. fetch); %d rows in the DOM; scroll to the last span drawn in %d ms",
            BIG_TRACE_SPANS,
            view.getAttribute("data-render-millis"),
            traceMillis,
            inDom,
            scrollMillis));

    Path out = Paths.get("target", "ui-volume.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, report);
    report.forEach(System.out::println);
    assertThat(driver.executeScript("return typeof window.__pwned")).isEqualTo("undefined");
  }

  String lastSpan;

  /** A frontend fanning out to services, each calling on, breadth-first, 2,000 spans in all. */
  void bigTrace(Otlp otlp, String traceId, long now) {
    String[] services = {
      "frontend", "orders", "payments", "inventory", "billing", "users", "search"
    };
    List<String> ids = new ArrayList<>();
    List<long[]> windows = new ArrayList<>();
    long start = now - 5_000_000_000L;
    String root = Otlp.spanId();
    ids.add(root);
    windows.add(new long[] {start, start + 4_000_000_000L});
    otlp.span(
        "frontend",
        traceId,
        root,
        null,
        "GET /big",
        Fixtures.SERVER,
        start,
        start + 4_000_000_000L,
        Map.of(),
        false,
        null);
    for (int i = 1; i < BIG_TRACE_SPANS; i++) {
      int parent = (i - 1) / 4; // four children each
      long[] pw = windows.get(parent);
      long width = (pw[1] - pw[0]) / 5;
      long s = pw[0] + ((i - 1) % 4) * width + width / 4;
      long e = s + width;
      String id = Otlp.spanId();
      ids.add(id);
      windows.add(new long[] {s, e});
      otlp.span(
          services[i % services.length],
          traceId,
          id,
          ids.get(parent),
          "op-" + i,
          Fixtures.INTERNAL,
          s,
          e,
          Map.of("i", (long) i),
          i % 397 == 0,
          null);
    }
    // the waterfall's last row: follow the last child down from the root
    int last = 0;
    while (4 * last + 4 < BIG_TRACE_SPANS) last = 4 * last + 4;
    lastSpan = ids.get(last);
  }
}
