package dev.tracewire.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The {@code -all} jar holds exactly what the javaagent's extension class loader needs. */
class ExtensionJarIT {

  @Test
  void allJar_bundlesPropagationAndServicesButNoOpenTelemetry() throws IOException {
    try (JarFile jar =
        new JarFile(AgentProcess.requiredFile("tracewire.it.extensionJar").toFile())) {
      List<String> names = new ArrayList<>();
      jar.stream().map(JarEntry::getName).forEach(names::add);

      assertThat(names)
          .contains(
              "dev/tracewire/extension/TracewirePropagatorProvider.class",
              "dev/tracewire/extension/HopDiagnosticsSpanProcessor.class",
              "dev/tracewire/propagation/TracewirePropagator.class",
              "dev/tracewire/propagation/HopDiagnostics.class");
      assertThat(names).noneMatch(name -> name.startsWith("io/opentelemetry/"));
      assertThat(services(jar, "ConfigurablePropagatorProvider"))
          .contains(
              "dev.tracewire.extension.TracewirePropagatorProvider",
              "dev.tracewire.extension.SentryPropagatorProvider");
      assertThat(services(jar, "AutoConfigurationCustomizerProvider"))
          .contains("dev.tracewire.extension.TracewireAutoConfiguration");
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("dev.tracewire.extension");
    }
  }

  static String services(JarFile jar, String spi) throws IOException {
    JarEntry entry =
        jar.getJarEntry("META-INF/services/io.opentelemetry.sdk.autoconfigure.spi." + spi);
    assertThat(entry).as("service file for " + spi).isNotNull();
    return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
  }
}
