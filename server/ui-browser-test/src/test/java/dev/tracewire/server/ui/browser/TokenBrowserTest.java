package dev.tracewire.server.ui.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.app.TracewireServer;
import dev.tracewire.server.storage.InMemorySpanStore;
import java.nio.file.Path;
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
 * A server started with a token: the page loads without it, asks for it in a form, refuses a wrong
 * one with a message, and shows search results once the right one is entered. The token never
 * appears in the page.
 */
class TokenBrowserTest {
  static final String TOKEN = "ui-t0ken-5f3a9c1e77";

  @TempDir Path profile;
  InMemorySpanStore store;
  TracewireServer server;
  ChromeDriver driver;
  String base;

  @BeforeEach
  void start() {
    driver = Browser.start(profile);
    store = InMemorySpanStore.create();
    server = TracewireServer.start(UiServer.config().token(TOKEN).build(), store);
    base = UiServer.base(server);
  }

  @AfterEach
  void stop() {
    UiServer.stop(driver, server, store);
  }

  @Test
  void token_formAsks_wrongTokenRefused_rightTokenShowsResults() throws Exception {
    String traceId = Otlp.traceId();
    long now = System.currentTimeMillis() * 1_000_000L;
    new Otlp()
        .span(
            "checkout",
            traceId,
            Otlp.spanId(),
            null,
            "GET /cart",
            2,
            now - 5_000_000,
            now,
            Map.of(),
            false,
            List.of())
        .send(server.otlpHttpPort(), TOKEN);

    driver.get(base + "#/search");
    WebElement input =
        Browser.waitFor(driver)
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
    assertThat(driver.findElements(By.id("token-error"))).isEmpty();
    Browser.screenshot(driver, "token-form");

    input.sendKeys("not-the-token");
    driver.findElement(By.id("token-submit")).click();
    WebElement refused =
        Browser.waitFor(driver)
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("token-error")));
    assertThat(refused.getText()).contains("not accepted");

    driver.findElement(By.id("token-input")).sendKeys(TOKEN);
    driver.findElement(By.id("token-submit")).click();
    WebElement row =
        Browser.waitFor(driver)
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".trace-row[data-trace-id='" + traceId + "']")));
    assertThat(row.getText()).contains("checkout");
    assertThat(driver.findElements(By.id("token-overlay"))).isEmpty();
    assertThat(driver.getPageSource()).doesNotContain(TOKEN);
    Browser.screenshot(driver, "token-accepted");

    // a reload in the same tab keeps the token: no form, results straight away
    driver.navigate().refresh();
    Browser.waitFor(driver)
        .until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".trace-row[data-trace-id='" + traceId + "']")));
    assertThat(driver.findElements(By.id("token-overlay"))).isEmpty();
  }
}
