package dev.tracewire.propagation;

import static dev.tracewire.propagation.TestObjects.OTHER_SPAN_ID;
import static dev.tracewire.propagation.TestObjects.REQUEST_ID;
import static dev.tracewire.propagation.TestObjects.SPAN_ID;
import static dev.tracewire.propagation.TestObjects.TRACEPARENT;
import static dev.tracewire.propagation.TestObjects.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracewirePropagatorTest {
  final TracewirePropagator propagator = TracewirePropagator.create();
  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final Tracer tracer = tracerProvider.get("test");

  @AfterEach
  void close() {
    tracerProvider.close();
  }

  Context extract(Headers headers) {
    return propagator.extract(Context.root(), headers, Headers.GETTER);
  }

  static SpanContext parent(Context context) {
    return Span.fromContext(context).getSpanContext();
  }

  @Test
  void extract_nothing_storesSharedEmptyDiagnostics() {
    Context context = extract(Headers.of("accept", "*/*"));

    HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
    assertThat(diagnostics).isSameAs(HopDiagnostics.EMPTY);
    assertThat(diagnostics.received()).isEmpty();
    assertThat(diagnostics.used()).isNull();
    assertThat(diagnostics.toAttributes())
        .isEqualTo(Attributes.of(HopAttributes.RECEIVED, List.of()));
    assertThat(parent(context).isValid()).isFalse();
  }

  @Test
  void fromContext_withoutExtract_isNull() {
    assertThat(HopDiagnostics.fromContext(Context.root())).isNull();
    assertThat(HopDiagnostics.fromContext(null)).isNull();
  }

  @Test
  void extract_traceparentOnly_becomesParent() {
    Context context = extract(Headers.of("traceparent", TRACEPARENT));

    assertThat(parent(context).getTraceId()).isEqualTo(TRACE_ID);
    assertThat(parent(context).getSpanId()).isEqualTo(SPAN_ID);
    assertThat(parent(context).isRemote()).isTrue();
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
    assertThat(diagnostics.used()).isEqualTo(Format.TRACECONTEXT);
    assertThat(diagnostics.received()).containsExactly(Format.TRACECONTEXT);
    assertThat(diagnostics.conflicts()).isEmpty();
  }

  @Test
  void extract_b3Only_becomesParent() {
    Context context = extract(Headers.of("b3", TestObjects.B3));

    assertThat(parent(context).getTraceId()).isEqualTo(TRACE_ID);
    assertThat(HopDiagnostics.fromContext(context).used()).isEqualTo(Format.B3);
  }

  @Test
  void extract_allFormatsAgree_usesTraceparentWithoutConflict() {
    Context context = extract(TestObjects.allFormats());

    HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
    assertThat(diagnostics.received()).containsExactly(Format.values());
    assertThat(diagnostics.invalid()).isEmpty();
    assertThat(diagnostics.used()).isEqualTo(Format.TRACECONTEXT);
    assertThat(diagnostics.conflicts()).isEmpty();
    assertThat(parent(context).getTraceState().get("rojo")).isEqualTo("00f067aa0ba902b7");
    assertThat(diagnostics.readings())
        .extracting(FormatReading::format)
        .containsExactly(
            Format.TRACECONTEXT,
            Format.B3,
            Format.B3_MULTI,
            Format.JAEGER,
            Format.SENTRY,
            Format.BAGGAGE,
            Format.REQUEST_ID);
  }

  @Test
  void extract_laterFormat_neverOverwritesEarlier_andIsAConflict() {
    Context context =
        extract(Headers.of("traceparent", TRACEPARENT, "b3", TestObjects.B3_OTHER_TRACE));

    assertThat(parent(context).getTraceId()).isEqualTo(TRACE_ID);
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
    assertThat(diagnostics.used()).isEqualTo(Format.TRACECONTEXT);
    assertThat(diagnostics.conflicts()).containsExactly(Format.B3);
    assertThat(diagnostics.toAttributes().get(HopAttributes.CONFLICT)).containsExactly("b3");
  }

  @Test
  void extract_sameTraceOtherParentSpan_isAConflict() {
    Context context =
        extract(
            Headers.of(
                "traceparent",
                TRACEPARENT,
                "uber-trace-id",
                TRACE_ID + ":" + OTHER_SPAN_ID + ":0:1"));

    assertThat(HopDiagnostics.fromContext(context).conflicts()).containsExactly(Format.JAEGER);
  }

  @Test
  void extract_64bitB3EqualToLowBitsOfW3c_isNotAConflict() {
    Context context = extract(Headers.of("traceparent", TRACEPARENT, "b3", TestObjects.B3_64BIT));

    HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
    assertThat(diagnostics.conflicts()).isEmpty();
    assertThat(diagnostics.toAttributes().get(HopAttributes.CONFLICT)).isNull();
  }

  @Test
  void extract_64bitB3OtherThanLowBitsOfW3c_isAConflict() {
    Context context =
        extract(Headers.of("traceparent", TRACEPARENT, "b3", "8448eb211c80319c-" + SPAN_ID + "-1"));

    assertThat(HopDiagnostics.fromContext(context).conflicts()).containsExactly(Format.B3);
  }

  @Test
  void extract_64bitB3Only_isNormalisedTo128() {
    assertThat(parent(extract(Headers.of("b3", TestObjects.B3_64BIT))).getTraceId())
        .isEqualTo(TestObjects.TRACE_ID_64_PADDED);
  }

  @Test
  void extract_invalidTraceparent_fallsBackToNextFormat() {
    Context context =
        extract(
            Headers.of(
                "traceparent", TestObjects.TRACEPARENT_UPPERCASE,
                "tracestate", TestObjects.TRACESTATE,
                "b3", TestObjects.B3_OTHER_TRACE));

    HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
    assertThat(diagnostics.used()).isEqualTo(Format.B3);
    assertThat(diagnostics.invalid()).containsExactly(Format.TRACECONTEXT);
    assertThat(diagnostics.readings().get(0).reason()).contains("trace-id");
    assertThat(parent(context).getTraceId()).isEqualTo(TestObjects.OTHER_TRACE_ID);
    // tracestate belongs to traceparent and is dropped with it
    assertThat(parent(context).getTraceState().isEmpty()).isTrue();
    assertThat(diagnostics.toAttributes().get(HopAttributes.INVALID))
        .containsExactly("tracecontext");
  }

  @Test
  void extract_customPrecedence_b3First() {
    TracewirePropagator b3First =
        TracewirePropagator.newBuilder().precedence(Format.B3, Format.TRACECONTEXT).build();

    Context context =
        b3First.extract(
            Context.root(),
            Headers.of("traceparent", TRACEPARENT, "b3", TestObjects.B3_OTHER_TRACE),
            Headers.GETTER);

    assertThat(parent(context).getTraceId()).isEqualTo(TestObjects.OTHER_TRACE_ID);
    assertThat(HopDiagnostics.fromContext(context).conflicts())
        .containsExactly(Format.TRACECONTEXT);
  }

  @Test
  void extract_formatLeftOutOfPrecedence_isNotRead() {
    TracewirePropagator w3cOnly =
        TracewirePropagator.newBuilder().precedence(Format.TRACECONTEXT).build();

    HopDiagnostics diagnostics = w3cOnly.inspect(Headers.of("b3", TestObjects.B3), Headers.GETTER);

    assertThat(diagnostics.received()).isEmpty();
  }

  @Test
  void extract_b3SamplingOnly_isReceivedButNoParent() {
    Context context = extract(Headers.of("b3", "0"));

    HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
    assertThat(diagnostics.received()).containsExactly(Format.B3);
    assertThat(diagnostics.invalid()).isEmpty();
    assertThat(diagnostics.used()).isNull();
    assertThat(diagnostics.readings().get(0).sampled()).isFalse();
    assertThat(parent(context).isValid()).isFalse();
  }

  @Test
  void extract_baggage_mergesW3cAndUberctx_w3cWins() {
    Context context =
        extract(
            Headers.of(
                "traceparent", TRACEPARENT,
                "baggage", "shared=w3c,userId=alice",
                "uber-trace-id", TestObjects.UBER_TRACE_ID,
                "uberctx-shared", "jaeger",
                "uberctx-tenant", "acme"));

    Baggage baggage = Baggage.fromContext(context);
    assertThat(baggage.getEntryValue("shared")).isEqualTo("w3c");
    assertThat(baggage.getEntryValue("userId")).isEqualTo("alice");
    assertThat(baggage.getEntryValue("tenant")).isEqualTo("acme");
    assertThat(HopDiagnostics.fromContext(context).baggage()).isEqualTo(baggage);
  }

  @Test
  void extract_uberctxWithoutUberTraceId_isNotRead() {
    Context context = extract(Headers.of("traceparent", TRACEPARENT, "uberctx-tenant", "acme"));

    assertThat(Baggage.fromContext(context).isEmpty()).isTrue();
    assertThat(HopDiagnostics.fromContext(context).received()).containsExactly(Format.TRACECONTEXT);
  }

  @Test
  void extract_trustBoundary_startsNewTraceButKeepsRemoteParent() {
    TracewirePropagator edge = TracewirePropagator.newBuilder().trustBoundary(true).build();

    Context context =
        edge.extract(
            Context.root(),
            Headers.of("traceparent", TRACEPARENT, "baggage", "userId=mallory"),
            Headers.GETTER);

    assertThat(parent(context).isValid()).isFalse();
    assertThat(Baggage.fromContext(context).isEmpty()).isTrue();
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
    assertThat(diagnostics.trustBoundaryApplied()).isTrue();
    assertThat(diagnostics.remoteParent().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(diagnostics.remoteParent().getSpanId()).isEqualTo(SPAN_ID);
    assertThat(diagnostics.toAttributes().get(HopAttributes.REMOTE_PARENT)).isEqualTo(SPAN_ID);
    assertThat(diagnostics.baggage().getEntryValue("userId")).isEqualTo("mallory");
  }

  @Test
  void extract_trustBoundaryWithNothingValid_isNotApplied() {
    TracewirePropagator edge = TracewirePropagator.newBuilder().trustBoundary(true).build();

    HopDiagnostics diagnostics =
        edge.inspect(Headers.of("traceparent", TestObjects.TRACEPARENT_UPPERCASE), Headers.GETTER);

    assertThat(diagnostics.trustBoundaryApplied()).isFalse();
  }

  @Test
  void extract_requestId_isRecordedForPairing() {
    HopDiagnostics diagnostics =
        propagator.inspect(Headers.of("x-request-id", REQUEST_ID), Headers.GETTER);

    assertThat(diagnostics.requestId()).isEqualTo(REQUEST_ID);
    assertThat(diagnostics.toAttributes().get(HopDiagnostics.REQUEST_ID_HEADER))
        .containsExactly(REQUEST_ID);
    assertThat(diagnostics.toAttributes().get(HopAttributes.RECEIVED))
        .containsExactly("xrequestid");
  }

  @Test
  void toAttributes_fullEntrySpan() {
    Attributes attributes =
        propagator
            .inspect(
                Headers.of(
                    "traceparent",
                    TRACEPARENT,
                    "b3",
                    TestObjects.B3_OTHER_TRACE,
                    "uber-trace-id",
                    "garbage",
                    "x-request-id",
                    REQUEST_ID),
                Headers.GETTER)
            .toAttributes();

    assertThat(attributes.get(HopAttributes.RECEIVED))
        .containsExactly("tracecontext", "b3", "jaeger", "xrequestid");
    assertThat(attributes.get(HopAttributes.INVALID)).containsExactly("jaeger");
    assertThat(attributes.get(HopAttributes.USED)).isEqualTo("tracecontext");
    assertThat(attributes.get(HopAttributes.CONFLICT)).containsExactly("b3");
    assertThat(attributes.get(HopAttributes.REMOTE_PARENT)).isEqualTo(SPAN_ID);
    assertThat(attributes.get(HopDiagnostics.REQUEST_ID_HEADER)).containsExactly(REQUEST_ID);
    assertThat(attributes.size()).isEqualTo(6);
  }

  @Test
  void extract_getterThatThrows_neverThrows() {
    TextMapGetter<Object> hostile =
        new TextMapGetter<>() {
          @Override
          @SuppressWarnings("deprecation") // the propagator must survive every method
          public Iterable<String> keys(Object carrier) {
            throw new IllegalStateException("keys");
          }

          @Override
          public String get(Object carrier, String key) {
            throw new IllegalStateException("get");
          }

          @Override
          public Iterator<String> getAll(Object carrier, String key) {
            throw new IllegalStateException("getAll");
          }
        };

    Context context = propagator.extract(Context.root(), new Object(), hostile);

    HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
    assertThat(diagnostics.used()).isNull();
    assertThat(diagnostics.invalid()).contains(Format.TRACECONTEXT, Format.BAGGAGE);
    assertThat(diagnostics.readings())
        .allSatisfy(r -> assertThat(r.reason()).isEqualTo(TracewirePropagator.GETTER_THREW));
  }

  @Test
  void extract_getterReturningNulls_isEmpty() {
    TextMapGetter<Object> nulls =
        new TextMapGetter<>() {
          @Override
          @SuppressWarnings("deprecation") // the propagator must survive every method
          public Iterable<String> keys(Object carrier) {
            return null;
          }

          @Override
          public String get(Object carrier, String key) {
            return null;
          }

          @Override
          public Iterator<String> getAll(Object carrier, String key) {
            return null;
          }
        };

    assertThat(propagator.inspect(new Object(), nulls)).isSameAs(HopDiagnostics.EMPTY);
  }

  @Test
  void extract_nullArguments_neverThrow() {
    assertThat(propagator.extract(null, null, Headers.GETTER)).isNotNull();
    assertThat(HopDiagnostics.fromContext(propagator.extract(Context.root(), new Headers(), null)))
        .isSameAs(HopDiagnostics.EMPTY);
  }

  @Test
  void inject_default_writesW3cBaggageAndRequestId() {
    Context extracted =
        extract(
            Headers.of(
                "traceparent", TRACEPARENT, "baggage", "userId=alice", "x-request-id", REQUEST_ID));
    Headers out = new Headers();

    propagator.inject(extracted, out, Headers.SETTER);

    assertThat(out.names()).containsExactly("traceparent", "baggage", "x-request-id");
    assertThat(out.get("traceparent")).isEqualTo(TRACEPARENT);
    assertThat(out.get("baggage")).isEqualTo("userId=alice");
    assertThat(out.get("x-request-id")).isEqualTo(REQUEST_ID);
  }

  @Test
  void inject_extractedContext_forwardsSameIdsInEveryInboundFormat() {
    Context extracted = extract(TestObjects.allFormats());
    Headers out = new Headers();

    propagator.inject(extracted, out, Headers.SETTER);

    assertThat(out.get("traceparent")).isEqualTo(TRACEPARENT);
    assertThat(out.get("tracestate")).isEqualTo(TestObjects.TRACESTATE);
    assertThat(out.get("b3")).isEqualTo(TRACE_ID + "-" + SPAN_ID + "-1");
    assertThat(out.get("X-B3-TraceId")).isEqualTo(TRACE_ID);
    assertThat(out.get("X-B3-SpanId")).isEqualTo(SPAN_ID);
    assertThat(out.get("X-B3-Sampled")).isEqualTo("1");
    assertThat(out.get("uber-trace-id")).isEqualTo(TRACE_ID + ":" + SPAN_ID + ":0:1");
    assertThat(out.get("sentry-trace")).isEqualTo(TestObjects.SENTRY_TRACE);
    assertThat(out.get("x-request-id")).isEqualTo(REQUEST_ID);
    assertThat(out.get("uberctx-userId")).isEqualTo("alice");
  }

  @Test
  void inject_b3Arrived_answersInB3Too() {
    Context extracted = extract(Headers.of("b3", TestObjects.B3));
    Headers out = new Headers();

    propagator.inject(extracted, out, Headers.SETTER);

    assertThat(out.names()).containsExactly("traceparent", "b3");
  }

  @Test
  void inject_injectInboundOff_writesOnlyConfigured() {
    TracewirePropagator fixed = TracewirePropagator.newBuilder().injectInbound(false).build();
    Context extracted =
        fixed.extract(Context.root(), Headers.of("b3", TestObjects.B3), Headers.GETTER);
    Headers out = new Headers();

    fixed.inject(extracted, out, Headers.SETTER);

    assertThat(out.names()).containsExactly("traceparent");
  }

  @Test
  void inject_configuredSet_isWrittenWithoutInbound() {
    TracewirePropagator zipkinFleet =
        TracewirePropagator.newBuilder().inject(Format.B3_MULTI, Format.SENTRY).build();
    Context context =
        Context.root().with(Span.wrap(parent(extract(Headers.of("traceparent", TRACEPARENT)))));
    Headers out = new Headers();

    zipkinFleet.inject(context, out, Headers.SETTER);

    assertThat(out.names())
        .containsExactly("X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled", "sentry-trace");
  }

  @Test
  void inject_noSpan_writesNoTraceHeaders() {
    Headers out = new Headers();

    propagator.inject(
        Context.root().with(Baggage.builder().put("k", "v").build()), out, Headers.SETTER);

    assertThat(out.names()).containsExactly("baggage");
  }

  @Test
  void inject_recordingExitSpan_recordsInjectedFormats() {
    Context extracted = extract(Headers.of("b3", TestObjects.B3, "x-request-id", REQUEST_ID));
    Span server =
        tracer
            .spanBuilder("server")
            .setParent(extracted)
            .setSpanKind(SpanKind.SERVER)
            .setAllAttributes(HopDiagnostics.fromContext(extracted).toAttributes())
            .startSpan();
    Context serverContext = extracted.with(server);
    Span client =
        tracer
            .spanBuilder("client")
            .setParent(serverContext)
            .setSpanKind(SpanKind.CLIENT)
            .startSpan();
    Headers out = new Headers();

    propagator.inject(serverContext.with(client), out, Headers.SETTER);
    client.end();
    server.end();

    SpanData clientData = exporter.getFinishedSpanItems().get(0);
    assertThat(clientData.getAttributes().get(HopAttributes.INJECTED))
        .containsExactly("tracecontext", "b3", "xrequestid");
    assertThat(out.get("traceparent")).contains(client.getSpanContext().getSpanId());
    assertThat(out.get("b3")).startsWith(TRACE_ID + "-" + client.getSpanContext().getSpanId());
    SpanData serverData = exporter.getFinishedSpanItems().get(1);
    assertThat(serverData.getParentSpanId()).isEqualTo(SPAN_ID);
    assertThat(serverData.getAttributes().get(HopAttributes.USED)).isEqualTo("b3");
  }

  @Test
  void inject_recordingSpanNothingWritten_recordsEmptyList() {
    Span client = tracer.spanBuilder("client").setSpanKind(SpanKind.CLIENT).startSpan();
    TracewirePropagator baggageOnly =
        TracewirePropagator.newBuilder().inject(Format.BAGGAGE).build();

    baggageOnly.inject(Context.root().with(client), new Headers(), Headers.SETTER);
    client.end();

    assertThat(exporter.getFinishedSpanItems().get(0).getAttributes().get(HopAttributes.INJECTED))
        .isEmpty();
  }

  @Test
  void inject_nullArguments_neverThrow() {
    propagator.inject(null, new Headers(), Headers.SETTER);
    propagator.inject(Context.root(), new Headers(), null);
    propagator.inject(
        extract(Headers.of("traceparent", TRACEPARENT)),
        null,
        (carrier, key, value) -> {
          throw new IllegalStateException("setter");
        });
  }

  @Test
  void fields_listEveryHeaderItMayWrite() {
    assertThat(propagator.fields())
        .contains(
            "traceparent",
            "tracestate",
            "b3",
            "X-B3-TraceId",
            "uber-trace-id",
            "sentry-trace",
            "baggage",
            "x-request-id");
  }

  @Test
  void builder_rejectsNonTraceFormatInPrecedence() {
    assertThatThrownBy(() -> TracewirePropagator.newBuilder().precedence(Format.BAGGAGE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("precedence: baggage");
    assertThatThrownBy(() -> TracewirePropagator.newBuilder().precedence(Format.B3, Format.B3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inject_childOfRandomFlaggedParent_keepsRandomFlag() {
    Context extracted = extract(Headers.of("traceparent", TestObjects.TRACEPARENT_RANDOM));
    Span child = tracer.spanBuilder("client").setParent(extracted).startSpan();
    Headers out = new Headers();

    propagator.inject(extracted.with(child), out, Headers.SETTER);
    child.end();

    assertThat(out.get("traceparent")).endsWith("-03");
  }
}
