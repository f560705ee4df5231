package dev.tracewire.extension;

import static dev.tracewire.extension.TestIds.B3;
import static dev.tracewire.extension.TestIds.SPAN_B3;
import static dev.tracewire.extension.TestIds.SPAN_W3C;
import static dev.tracewire.extension.TestIds.TRACEPARENT;
import static dev.tracewire.extension.TestIds.TRACE_B3;
import static dev.tracewire.extension.TestIds.TRACE_W3C;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HopDiagnosticsSpanProcessorTest {
  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder()
          .addSpanProcessor(HopDiagnosticsSpanProcessor.create())
          .addSpanProcessor(SimpleSpanProcessor.create(exporter))
          .build();
  final Tracer tracer = tracerProvider.get("test");
  final TracewirePropagator propagator = TracewirePropagator.create();

  @AfterEach
  void close() {
    tracerProvider.close();
  }

  SpanData finish(Span span) {
    span.end();
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    exporter.reset();
    return spans.get(0);
  }

  Span start(SpanKind kind, Context parent) {
    return tracer.spanBuilder("entry").setSpanKind(kind).setParent(parent).startSpan();
  }

  @Test
  void serverSpan_b3Only_recordsReceivedUsedAndRemoteParent() {
    Context inbound = Headers.extract(propagator, Headers.of("b3", B3));

    SpanData span = finish(start(SpanKind.SERVER, inbound));

    assertThat(span.getTraceId()).isEqualTo(TRACE_B3);
    assertThat(span.getParentSpanId()).isEqualTo(SPAN_B3);
    assertThat(span.getAttributes().get(HopAttributes.RECEIVED)).containsExactly("b3");
    assertThat(span.getAttributes().get(HopAttributes.USED)).isEqualTo("b3");
    assertThat(span.getAttributes().get(HopAttributes.REMOTE_PARENT)).isEqualTo(SPAN_B3);
    assertThat(span.getLinks()).isEmpty();
  }

  @Test
  void serverSpan_conflictingFormats_recordsConflict() {
    Context inbound = Headers.extract(propagator, Headers.of("traceparent", TRACEPARENT, "b3", B3));

    SpanData span = finish(start(SpanKind.SERVER, inbound));

    assertThat(span.getTraceId()).isEqualTo(TRACE_W3C);
    assertThat(span.getParentSpanId()).isEqualTo(SPAN_W3C);
    assertThat(span.getAttributes().get(HopAttributes.USED)).isEqualTo("tracecontext");
    assertThat(span.getAttributes().get(HopAttributes.CONFLICT)).containsExactly("b3");
  }

  @Test
  void consumerSpan_recordsDiagnostics() {
    Context inbound = Headers.extract(propagator, Headers.of("b3", B3));

    SpanData span = finish(start(SpanKind.CONSUMER, inbound));

    assertThat(span.getAttributes().get(HopAttributes.USED)).isEqualTo("b3");
  }

  @Test
  void serverSpan_malformedHeader_recordsInvalidAndStartsNewTrace() {
    Context inbound = Headers.extract(propagator, Headers.of("traceparent", "00-zz-01"));

    SpanData span = finish(start(SpanKind.SERVER, inbound));

    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(span.getAttributes().get(HopAttributes.INVALID)).containsExactly("tracecontext");
    assertThat(span.getAttributes().get(HopAttributes.USED)).isNull();
  }

  @Test
  void clientSpan_isNotDecorated() {
    Context inbound = Headers.extract(propagator, Headers.of("b3", B3));

    SpanData span = finish(start(SpanKind.CLIENT, inbound));

    assertThat(span.getAttributes().get(HopAttributes.RECEIVED)).isNull();
    assertThat(span.getAttributes().get(HopAttributes.USED)).isNull();
  }

  @Test
  void serverSpan_localParent_isNotDecorated() {
    Context inbound = Headers.extract(propagator, Headers.of("b3", B3));
    Span outer = start(SpanKind.SERVER, inbound);

    SpanData nested = finish(start(SpanKind.SERVER, inbound.with(outer)));
    outer.end();

    assertThat(nested.getParentSpanId()).isEqualTo(outer.getSpanContext().getSpanId());
    assertThat(nested.getAttributes().get(HopAttributes.USED)).isNull();
  }

  @Test
  void serverSpan_remoteParentFromAnotherExtract_isNotDecorated() {
    Context inbound = Headers.extract(propagator, Headers.of("b3", B3));
    SpanContext other =
        SpanContext.createFromRemoteParent(
            TRACE_W3C, SPAN_W3C, TraceFlags.getSampled(), TraceState.getDefault());

    SpanData span = finish(start(SpanKind.CONSUMER, inbound.with(Span.wrap(other))));

    assertThat(span.getParentSpanId()).isEqualTo(SPAN_W3C);
    assertThat(span.getAttributes().get(HopAttributes.USED)).isNull();
  }

  @Test
  void serverSpan_withoutDiagnostics_isUntouched() {
    SpanData span = finish(start(SpanKind.SERVER, Context.root()));

    assertThat(span.getAttributes().asMap().keySet())
        .noneMatch(key -> key.getKey().startsWith("tracewire."));
  }

  @Test
  void serverSpan_trustBoundary_newTraceLinkedToExternalParent() {
    TracewirePropagator edge = TracewirePropagator.newBuilder().trustBoundary(true).build();
    Context inbound = Headers.extract(edge, Headers.of("b3", B3));

    SpanData span = finish(start(SpanKind.SERVER, inbound));

    assertThat(span.getTraceId()).isNotEqualTo(TRACE_B3);
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(span.getAttributes().get(HopAttributes.REMOTE_PARENT)).isEqualTo(SPAN_B3);
    assertThat(span.getLinks())
        .singleElement()
        .satisfies(
            link -> {
              assertThat(link.getSpanContext().getTraceId()).isEqualTo(TRACE_B3);
              assertThat(link.getSpanContext().getSpanId()).isEqualTo(SPAN_B3);
            });
  }

  @Test
  void processor_needsStartOnly() {
    HopDiagnosticsSpanProcessor processor = HopDiagnosticsSpanProcessor.create();

    assertThat(processor.isStartRequired()).isTrue();
    assertThat(processor.isEndRequired()).isFalse();
  }
}
