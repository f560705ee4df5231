package dev.tracewire.extension;

import static dev.tracewire.extension.TestIds.B3;
import static dev.tracewire.extension.TestIds.SPAN_B3;
import static dev.tracewire.extension.TestIds.TRACE_B3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.propagation.HopAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a plain SDK user gets: the jar on the classpath and {@code otel.propagators=tracewire}. */
class AutoConfigurationTest {
  final InMemorySpanExporter exporter = InMemorySpanExporter.create();

  OpenTelemetrySdk autoConfigure(String... properties) {
    Map<String, String> map = new HashMap<>();
    map.put("otel.traces.exporter", "none");
    map.put("otel.metrics.exporter", "none");
    map.put("otel.logs.exporter", "none");
    for (int i = 0; i < properties.length; i += 2) map.put(properties[i], properties[i + 1]);
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> map)
        .addTracerProviderCustomizer(
            (builder, config) -> builder.addSpanProcessor(SimpleSpanProcessor.create(exporter)))
        .build()
        .getOpenTelemetrySdk();
  }

  @Test
  void propagatorsTracewire_entrySpanCarriesDiagnostics() {
    SpanData span;
    try (OpenTelemetrySdk sdk = autoConfigure("otel.propagators", "tracewire")) {
      TextMapPropagator propagator = sdk.getPropagators().getTextMapPropagator();
      Context inbound = Headers.extract(propagator, Headers.of("b3", B3));

      sdk.getTracer("test")
          .spanBuilder("GET /")
          .setSpanKind(SpanKind.SERVER)
          .setParent(inbound)
          .startSpan()
          .end();
      // read before close: shutting the SDK down clears the in-memory exporter
      span = exporter.getFinishedSpanItems().get(0);
    }

    assertThat(span.getTraceId()).isEqualTo(TRACE_B3);
    assertThat(span.getParentSpanId()).isEqualTo(SPAN_B3);
    assertThat(span.getAttributes().get(HopAttributes.USED)).isEqualTo("b3");
    assertThat(span.getAttributes().get(HopAttributes.RECEIVED)).containsExactly("b3");
  }

  @Test
  void propagatorsTracewire_readsOtelTracewireProperties() {
    try (OpenTelemetrySdk sdk =
        autoConfigure("otel.propagators", "tracewire", "otel.tracewire.trust-boundary", "true")) {
      Context inbound =
          Headers.extract(sdk.getPropagators().getTextMapPropagator(), Headers.of("b3", B3));

      assertThat(Span.fromContext(inbound).getSpanContext().getTraceId()).isNotEqualTo(TRACE_B3);
    }
  }

  @Test
  void propagatorsSentryTrace_isRegistered() {
    try (OpenTelemetrySdk sdk = autoConfigure("otel.propagators", "sentry-trace")) {
      Context inbound =
          Headers.extract(
              sdk.getPropagators().getTextMapPropagator(),
              Headers.of("sentry-trace", TestIds.SENTRY_TRACE));

      assertThat(Span.fromContext(inbound).getSpanContext().getSpanId()).isEqualTo(SPAN_B3);
    }
  }

  @Test
  void badTracewireProperty_failsAutoConfigurationNamingIt() {
    assertThatThrownBy(
            () -> autoConfigure("otel.propagators", "tracewire", "otel.tracewire.inject", "zipkin"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.tracewire.inject: zipkin");
  }
}
