package dev.tracewire.extension;

import static dev.tracewire.extension.TestIds.B3;
import static dev.tracewire.extension.TestIds.SENTRY_TRACE;
import static dev.tracewire.extension.TestIds.SPAN_B3;
import static dev.tracewire.extension.TestIds.TRACEPARENT;
import static dev.tracewire.extension.TestIds.TRACE_B3;
import static dev.tracewire.extension.TestIds.TRACE_W3C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.propagation.Format;
import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TracewirePropagatorProviderTest {
  static final Map<String, String> CONFLICTING = Headers.of("traceparent", TRACEPARENT, "b3", B3);

  static TextMapPropagator propagator(String... properties) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < properties.length; i += 2) map.put(properties[i], properties[i + 1]);
    return new TracewirePropagatorProvider()
        .getPropagator(DefaultConfigProperties.createFromMap(map));
  }

  static SpanContext parent(Context context) {
    return Span.fromContext(context).getSpanContext();
  }

  @Test
  void serviceLoader_findsTracewireAndSentryTrace() {
    assertThat(ServiceLoader.load(ConfigurablePropagatorProvider.class))
        .extracting(ConfigurablePropagatorProvider::getName)
        .contains("tracewire", "sentry-trace");
  }

  @Test
  void getPropagator_noProperties_traceparentWinsOverB3() {
    Context extracted = Headers.extract(propagator(), CONFLICTING);

    assertThat(parent(extracted).getTraceId()).isEqualTo(TRACE_W3C);
    assertThat(HopDiagnostics.fromContext(extracted).conflicts()).containsExactly(Format.B3);
  }

  @Test
  void getPropagator_precedenceB3First_b3Wins() {
    Context extracted =
        Headers.extract(
            propagator(TracewirePropagatorProvider.PRECEDENCE, "b3, tracecontext"), CONFLICTING);

    assertThat(parent(extracted).getTraceId()).isEqualTo(TRACE_B3);
    assertThat(parent(extracted).getSpanId()).isEqualTo(SPAN_B3);
    assertThat(HopDiagnostics.fromContext(extracted).used()).isEqualTo(Format.B3);
  }

  @Test
  void getPropagator_precedenceIdsAnyCase_accepted() {
    Context extracted =
        Headers.extract(propagator(TracewirePropagatorProvider.PRECEDENCE, "B3"), CONFLICTING);

    assertThat(parent(extracted).getTraceId()).isEqualTo(TRACE_B3);
  }

  @Test
  void getPropagator_unknownPrecedenceFormat_namesPropertyAndValue() {
    assertThatThrownBy(
            () -> propagator(TracewirePropagatorProvider.PRECEDENCE, "tracecontext,zipkin"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.tracewire.precedence")
        .hasMessageContaining("zipkin")
        .hasMessageContaining("b3multi");
  }

  @Test
  void getPropagator_baggageInPrecedence_namesPropertyAndValue() {
    assertThatThrownBy(() -> propagator(TracewirePropagatorProvider.PRECEDENCE, "b3,baggage"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("otel.tracewire.precedence: b3,baggage (");
  }

  @Test
  void getPropagator_unknownInjectFormat_namesPropertyAndValue() {
    assertThatThrownBy(() -> propagator(TracewirePropagatorProvider.INJECT, "w3c"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.tracewire.inject")
        .hasMessageContaining("w3c");
  }

  @Test
  void getPropagator_injectInboundNotBoolean_namesPropertyAndValue() {
    assertThatThrownBy(() -> propagator(TracewirePropagatorProvider.INJECT_INBOUND, "yes"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("otel.tracewire.inject-inbound: yes (expected true or false)");
  }

  @Test
  void getPropagator_trustBoundaryNotBoolean_namesPropertyAndValue() {
    assertThatThrownBy(() -> propagator(TracewirePropagatorProvider.TRUST_BOUNDARY, "on"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("otel.tracewire.trust-boundary: on (expected true or false)");
  }

  @Test
  void getPropagator_injectB3Only_writesB3AndNoTraceparent() {
    TextMapPropagator propagator =
        propagator(
            TracewirePropagatorProvider.INJECT,
            "b3",
            TracewirePropagatorProvider.INJECT_INBOUND,
            "false");

    Map<String, String> written = Headers.inject(propagator, Context.root().with(localSpan()));

    assertThat(written).containsKey("b3").doesNotContainKey("traceparent");
  }

  @Test
  void getPropagator_injectInboundDefault_answersInB3() {
    TextMapPropagator propagator = propagator();
    Context inbound = Headers.extract(propagator, Headers.of("b3", B3));

    Map<String, String> written = Headers.inject(propagator, inbound.with(localSpan()));

    assertThat(written).containsKeys("traceparent", "b3");
  }

  @Test
  void getPropagator_injectInboundFalse_doesNotAnswerInB3() {
    TextMapPropagator propagator = propagator(TracewirePropagatorProvider.INJECT_INBOUND, "FALSE");
    Context inbound = Headers.extract(propagator, Headers.of("b3", B3));

    Map<String, String> written = Headers.inject(propagator, inbound.with(localSpan()));

    assertThat(written).containsKey("traceparent").doesNotContainKey("b3");
  }

  @Test
  void getPropagator_trustBoundaryTrue_refusesExternalParent() {
    Context extracted =
        Headers.extract(
            propagator(TracewirePropagatorProvider.TRUST_BOUNDARY, "true"), Headers.of("b3", B3));

    assertThat(parent(extracted).getTraceId()).isNotEqualTo(TRACE_B3);
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(extracted);
    assertThat(diagnostics.trustBoundaryApplied()).isTrue();
    assertThat(diagnostics.remoteParent().getSpanId()).isEqualTo(SPAN_B3);
  }

  @Test
  void sentryTrace_readsSentryHeaderOnly() {
    TextMapPropagator propagator =
        new SentryPropagatorProvider()
            .getPropagator(DefaultConfigProperties.createFromMap(Map.of()));

    Context extracted =
        Headers.extract(
            propagator, Headers.of("sentry-trace", SENTRY_TRACE, "traceparent", TRACEPARENT));

    assertThat(parent(extracted).getTraceId()).isEqualTo(TRACE_B3);
    assertThat(parent(extracted).getSpanId()).isEqualTo(SPAN_B3);
  }

  /** A span this service started, as the current span of an outgoing call. */
  static Span localSpan() {
    return Span.wrap(
        SpanContext.create(
            "11111111111111111111111111111111",
            "2222222222222222",
            TraceFlags.getSampled(),
            TraceState.getDefault()));
  }
}
