package dev.tracewire.extension;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

/**
 * Adds the {@link HopDiagnosticsSpanProcessor} to every SDK that OpenTelemetry autoconfigure (or
 * the javaagent) builds, so entry spans carry the {@code tracewire.propagation.*} attributes.
 * Loaded by {@link java.util.ServiceLoader}.
 */
public final class TracewireAutoConfiguration implements AutoConfigurationCustomizerProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public TracewireAutoConfiguration() {}

  @Override
  public void customize(AutoConfigurationCustomizer autoConfiguration) {
    // Always added: without the tracewire propagator no Context carries diagnostics and the
    // processor is one Context lookup per entry span.
    autoConfiguration.addTracerProviderCustomizer(
        (tracerProvider, config) ->
            tracerProvider.addSpanProcessor(HopDiagnosticsSpanProcessor.create()));
  }
}
