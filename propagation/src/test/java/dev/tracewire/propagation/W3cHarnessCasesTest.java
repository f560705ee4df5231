package dev.tracewire.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cases of the W3C trace-context test harness (test/test.py, SPEC_LEVEL=2, STRICT_LEVEL=2),
 * played against the universal propagator and a real SDK the way a service does: extract, start a
 * server span, start a client span, inject. Only the outgoing headers are checked, as the harness
 * does.
 */
class W3cHarnessCasesTest {
  static final String TRACE_ID = "12345678901234567890123456789012";
  static final String PARENT = "00-" + TRACE_ID + "-1234567890123456-00";

  final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
          .build();
  final Tracer tracer = tracerProvider.get("harness");
  final TracewirePropagator propagator = TracewirePropagator.create();

  @AfterEach
  void close() {
    tracerProvider.close();
  }

  /** Returns the headers the service sends onward for a request with {@code headers}. */
  Headers callOnward(Headers headers) {
    Context extracted = propagator.extract(Context.root(), headers, Headers.GETTER);
    Span server =
        tracer.spanBuilder("server").setParent(extracted).setSpanKind(SpanKind.SERVER).startSpan();
    Span client =
        tracer
            .spanBuilder("client")
            .setParent(extracted.with(server))
            .setSpanKind(SpanKind.CLIENT)
            .startSpan();
    Headers out = new Headers();
    propagator.inject(extracted.with(server).with(client), out, Headers.SETTER);
    client.end();
    server.end();
    return out;
  }

  String traceIdOnward(String... namesAndValues) {
    String traceparent = callOnward(Headers.of(namesAndValues)).get("traceparent");
    assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]");
    return traceparent.substring(3, 35);
  }

  TraceState tracestateOnward(String... namesAndValues) {
    String tracestate = callOnward(Headers.of(namesAndValues)).get("tracestate");
    return tracestate == null ? TraceState.getDefault() : W3CTraceState.parse(tracestate);
  }

  @Test
  void traceparent_valid_isContinuedWithNewParentId() {
    String out =
        callOnward(Headers.of("traceparent", "00-" + TRACE_ID + "-1234567890123456-01"))
            .get("traceparent");

    assertThat(out.substring(3, 35)).isEqualTo(TRACE_ID);
    assertThat(out.substring(36, 52)).isNotEqualTo("1234567890123456");
  }

  @Test
  void traceparent_duplicated_startsNewTrace() {
    String out =
        traceIdOnward(
            "traceparent",
            "00-12345678901234567890123456789011-1234567890123456-01",
            "traceparent",
            "00-" + TRACE_ID + "-1234567890123456-01");

    assertThat(out).isNotIn(TRACE_ID, "12345678901234567890123456789011");
  }

  @ParameterizedTest
  @ValueSource(strings = {"TraceParent", "TrAcEpArEnT", "TRACEPARENT"})
  void traceparent_headerNameCasing_isIgnored(String name) {
    assertThat(traceIdOnward(name, "00-" + TRACE_ID + "-1234567890123456-01")).isEqualTo(TRACE_ID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cc-" + TRACE_ID + "-1234567890123456-01",
        "cc-" + TRACE_ID + "-1234567890123456-01-what-the-future-will-be-like",
        " 00-" + TRACE_ID + "-1234567890123456-01",
        "\t 00-" + TRACE_ID + "-1234567890123456-01 \t",
      })
  void traceparent_continued(String traceparent) {
    assertThat(traceIdOnward("traceparent", traceparent)).isEqualTo(TRACE_ID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00-" + TRACE_ID + "-1234567890123456-01.",
        "00-" + TRACE_ID + "-1234567890123456-01-what-the-future-will-be-like",
        "cc-" + TRACE_ID + "-1234567890123456-01.what-the-future-will-be-like",
        "ff-" + TRACE_ID + "-1234567890123456-01",
        ".0-" + TRACE_ID + "-1234567890123456-01",
        "0.-" + TRACE_ID + "-1234567890123456-01",
        "000-" + TRACE_ID + "-1234567890123456-01",
        "0000-" + TRACE_ID + "-1234567890123456-01",
        "0-" + TRACE_ID + "-1234567890123456-01",
        "00-" + TRACE_ID + "-0000000000000000-01",
        "00-" + TRACE_ID + "-.234567890123456-01",
        "00-" + TRACE_ID + "-123456789012345.-01",
        "00-" + TRACE_ID + "-12345678901234567-01",
        "00-" + TRACE_ID + "-123456789012345-01",
        "00-" + TRACE_ID + "-1234567890123456-.0",
        "00-" + TRACE_ID + "-1234567890123456-0.",
        "00-" + TRACE_ID + "-1234567890123456-001",
        "00-" + TRACE_ID + "-1234567890123456-1",
        "00-" + TRACE_ID + "3-1234567890123456-01",
        "00-" + "1234567890123456789012345678901-1234567890123456-01",
      })
  void traceparent_malformed_startsNewTrace(String traceparent) {
    assertThat(traceIdOnward("traceparent", traceparent)).isNotEqualTo(TRACE_ID);
  }

  @Test
  void traceparent_allZeroTraceId_startsNewTrace() {
    assertThat(
            traceIdOnward("traceparent", "00-00000000000000000000000000000000-1234567890123456-01"))
        .isNotEqualTo("00000000000000000000000000000000");
  }

  @Test
  void traceparent_wrongHeaderName_isNotRead() {
    assertThat(traceIdOnward("trace-parent", "00-" + TRACE_ID + "-1234567890123456-01"))
        .isNotEqualTo(TRACE_ID);
  }

  @Test
  void traceparent_randomFlag_isPropagated() {
    String out =
        callOnward(Headers.of("traceparent", "00-" + TRACE_ID + "-1234567890123456-02"))
            .get("traceparent");

    assertThat(Integer.parseInt(out.substring(53, 55), 16) & 0x02).isEqualTo(0x02);
  }

  @Test
  void tracestate_withoutTraceparent_isDiscarded() {
    assertThat(tracestateOnward("tracestate", "foo=1").size())
        .isEqualTo(tracestateOnward("tracestate", "foo=1,bar=2").size());
  }

  @Test
  void tracestate_inherited_andHeaderNameCasingIgnored() {
    assertThat(tracestateOnward("traceparent", PARENT, "TrAcEsTaTe", "foo=1,bar=2").asMap())
        .containsEntry("foo", "1")
        .containsEntry("bar", "2");
  }

  @Test
  void tracestate_wrongHeaderName_isNotRead() {
    assertThat(tracestateOnward("traceparent", PARENT, "trace-state", "foo=1").get("foo")).isNull();
  }

  @Test
  void tracestate_emptyHeaders_areIgnored() {
    assertThat(
            tracestateOnward("traceparent", PARENT, "tracestate", "", "tracestate", "foo=1")
                .get("foo"))
        .isEqualTo("1");
    assertThat(
            tracestateOnward("traceparent", PARENT, "tracestate", "foo=1", "tracestate", "")
                .get("foo"))
        .isEqualTo("1");
  }

  @Test
  void tracestate_duplicatedKeys_keepOne() {
    assertThat(
            tracestateOnward("traceparent", PARENT, "tracestate", "foo=1", "tracestate", "foo=2")
                .get("foo"))
        .isIn("1", "2");
  }

  @Test
  void tracestate_33Members_isDiscarded() {
    StringBuilder members = new StringBuilder();
    for (int i = 1; i <= 33; i++)
      members.append(i == 1 ? "" : ",").append("bar").append(i).append("=1");

    assertThat(tracestateOnward("traceparent", PARENT, "tracestate", members.toString()).isEmpty())
        .isTrue();
  }

  @Test
  void tracestate_illegalValue_isDiscarded() {
    assertThat(tracestateOnward("traceparent", PARENT, "tracestate", "foo=bar=baz").isEmpty())
        .isTrue();
    assertThat(tracestateOnward("traceparent", PARENT, "tracestate", "foo=,bar=3").isEmpty())
        .isTrue();
  }

  @Test
  void tracestate_keyStartingWithAt_isDiscarded_otherAtSignsKept() {
    assertThat(tracestateOnward("traceparent", PARENT, "tracestate", "@foo=1,bar=2").isEmpty())
        .isTrue();
    assertThat(tracestateOnward("traceparent", PARENT, "tracestate", "foo@bar@baz=1,bar=2").asMap())
        .containsEntry("foo@bar@baz", "1")
        .containsEntry("bar", "2");
  }

  @Test
  void multipleCalls_shareTraceWithDistinctParents() {
    Context extracted =
        propagator.extract(
            Context.root(),
            Headers.of("traceparent", "00-" + TRACE_ID + "-1234567890123456-01"),
            Headers.GETTER);
    Span server = tracer.spanBuilder("server").setParent(extracted).startSpan();
    java.util.Set<String> parents = new java.util.HashSet<>();
    for (int i = 0; i < 3; i++) {
      Span client = tracer.spanBuilder("client").setParent(extracted.with(server)).startSpan();
      Headers out = new Headers();
      propagator.inject(extracted.with(server).with(client), out, Headers.SETTER);
      client.end();
      assertThat(out.get("traceparent").substring(3, 35)).isEqualTo(TRACE_ID);
      parents.add(out.get("traceparent").substring(36, 52));
    }
    server.end();

    assertThat(parents).hasSize(3);
  }
}
