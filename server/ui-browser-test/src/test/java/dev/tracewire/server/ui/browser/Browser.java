package dev.tracewire.server.ui.browser;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium through its chromedriver; Selenium Manager never runs. */
final class Browser {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  static final String INSTALL = "apt-get install -y chromium chromium-driver";

  static ChromeDriver start(Path userDataDir) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail(
          "The UI browser test needs Debian's headless Chromium at %s and its driver at %s."
              + " Install them with: %s",
          CHROMIUM, CHROMEDRIVER, INSTALL);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1600,1000",
        "--user-data-dir=" + userDataDir);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return driver;
  }

  static WebDriverWait waitFor(ChromeDriver driver) {
    return new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  /** Saves a PNG under the screenshots directory (a build artifact) and returns its path. */
  static Path screenshot(ChromeDriver driver, String name) throws IOException {
    Path dir = Paths.get(System.getProperty("tracewire.screenshots", "target/screenshots"));
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".png");
    Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  private Browser() {}
}
