package dev.tracewire.server.ui.browser;

import dev.tracewire.server.app.ServerConfig;
import dev.tracewire.server.app.TracewireServer;
import dev.tracewire.server.storage.SpanStore;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;

/** What every browser test starts: a server on free ports, its store, and Chromium. */
final class UiServer {
  private UiServer() {}

  /**
   * Free ports and settle windows far beyond any test, so a flush (not the clock) decides when
   * traces are analysed.
   */
  static ServerConfig.Builder config() {
    return ServerConfig.newBuilder()
        .otlpGrpcPort(0)
        .otlpHttpPort(0)
        .zipkinPort(0)
        .queryPort(0)
        .settle(Duration.ofMinutes(10))
        .messagingSettle(Duration.ofMinutes(10));
  }

  /** The UI's address on {@code server}. */
  static String base(TracewireServer server) {
    return "http://127.0.0.1:" + server.queryPort() + "/";
  }

  /** Closes whatever a test's set-up got to start, browser first. */
  static void stop(ChromeDriver driver, TracewireServer server, SpanStore store) {
    if (driver != null) driver.quit();
    if (server != null) server.close();
    if (store != null) store.close();
  }
}
