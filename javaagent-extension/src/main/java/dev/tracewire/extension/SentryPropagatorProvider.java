package dev.tracewire.extension;

import dev.tracewire.propagation.Format;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider;

/**
 * Registers Sentry's {@code sentry-trace} format alone as {@code otel.propagators=sentry-trace},
 * for services that only talk to Sentry-instrumented peers. Loaded by {@link
 * java.util.ServiceLoader}.
 *
 * <pre>{@code
 * -Dotel.propagators=tracecontext,baggage,sentry-trace
 * }</pre>
 */
public final class SentryPropagatorProvider implements ConfigurablePropagatorProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public SentryPropagatorProvider() {}

  @Override
  public TextMapPropagator getPropagator(ConfigProperties config) {
    return Format.SENTRY.propagator();
  }

  @Override
  public String getName() {
    return "sentry-trace";
  }
}
