package dev.tracewire.propagation;

import static dev.tracewire.propagation.TestObjects.SPAN_ID;
import static dev.tracewire.propagation.TestObjects.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FormatPropagatorTest {
  static Context extract(TextMapPropagator propagator, Headers headers) {
    return propagator.extract(Context.root(), headers, Headers.GETTER);
  }

  @ParameterizedTest
  @EnumSource(
      value = Format.class,
      names = {"TRACECONTEXT", "B3", "B3_MULTI", "JAEGER", "SENTRY"})
  void traceFormat_roundTrips(Format format) {
    TextMapPropagator propagator = format.propagator();
    Context extracted = extract(propagator, TestObjects.allFormats());
    Headers out = new Headers();

    propagator.inject(extracted, out, Headers.SETTER);
    SpanContext again = Span.fromContext(extract(propagator, out)).getSpanContext();

    assertThat(again.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(again.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(again.isSampled()).isTrue();
    assertThat(propagator.fields()).containsAll(out.names().subList(0, 1));
  }

  @Test
  void singleFormat_readsOnlyItsFormat() {
    Context extracted =
        extract(Format.B3.propagator(), Headers.of("traceparent", TestObjects.TRACEPARENT));

    assertThat(Span.fromContext(extracted).getSpanContext().isValid()).isFalse();
  }

  @Test
  void singleFormat_recordsNoDiagnostics() {
    Context extracted = extract(Format.TRACECONTEXT.propagator(), TestObjects.allFormats());

    assertThat(HopDiagnostics.fromContext(extracted)).isNull();
  }

  @Test
  void baggage_roundTrips() {
    TextMapPropagator propagator = Format.BAGGAGE.propagator();
    Context extracted = extract(propagator, Headers.of("baggage", TestObjects.BAGGAGE));
    Headers out = new Headers();

    propagator.inject(extracted, out, Headers.SETTER);

    assertThat(out.names()).containsExactly("baggage");
    assertThat(Baggage.fromContext(extract(propagator, out)))
        .isEqualTo(Baggage.fromContext(extracted));
  }

  @Test
  void jaeger_carriesUberctxBaggage() {
    TextMapPropagator propagator = Format.JAEGER.propagator();
    Context extracted =
        extract(
            propagator,
            Headers.of("uber-trace-id", TestObjects.UBER_TRACE_ID, "uberctx-user", "a b"));
    Headers out = new Headers();

    propagator.inject(extracted, out, Headers.SETTER);

    assertThat(out.get("uberctx-user")).isEqualTo("a%20b");
    assertThat(out.get("baggage")).isNull();
  }

  @Test
  void sentry_forwardsSentryBaggageMembers() {
    TextMapPropagator propagator = Format.SENTRY.propagator();
    Context extracted =
        extract(
            propagator,
            Headers.of(
                "sentry-trace",
                TestObjects.SENTRY_TRACE_DEFERRED,
                "baggage",
                TestObjects.SENTRY_BAGGAGE));
    Headers out = new Headers();

    propagator.inject(extracted, out, Headers.SETTER);

    assertThat(out.get("sentry-trace")).isEqualTo(TestObjects.SENTRY_TRACE_DEFERRED + "-0");
    assertThat(out.get("baggage").split(","))
        .containsExactlyInAnyOrder(TestObjects.SENTRY_BAGGAGE.split(","));
  }

  @Test
  void requestId_isForwardedUnchanged() {
    TextMapPropagator propagator = Format.REQUEST_ID.propagator();
    Context extracted = extract(propagator, Headers.of("x-request-id", TestObjects.REQUEST_ID));
    Headers out = new Headers();

    propagator.inject(extracted, out, Headers.SETTER);

    assertThat(out.get("x-request-id")).isEqualTo(TestObjects.REQUEST_ID);
  }
}
