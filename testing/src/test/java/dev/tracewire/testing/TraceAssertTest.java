package dev.tracewire.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.propagation.Format;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TraceAssertTest {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().timeout(Duration.ofMillis(300)).build();

  /** Runs orders -> payments through {@code path}, which may drop or change headers. */
  String flow(boolean http, java.util.function.UnaryOperator<Map<String, String>> path) {
    OpenTelemetry orders = capture.service("orders");
    OpenTelemetry payments = capture.service("payments");
    Span root = orders.getTracer("test").spanBuilder("checkout").startSpan();
    try (Scope ignored =
        Context.root().with(root).with(Baggage.builder().put("k", "v").build()).makeCurrent()) {
      InProcessHop.send(
          orders, http, h -> InProcessHop.receive(payments, path.apply(h), http, () -> {}));
    } finally {
      root.end();
    }
    return root.getSpanContext().getTraceId();
  }

  @Test
  void hasHop_intactHop_passes() {
    String traceId = flow(true, h -> h);

    TraceAssert.assertThat(capture.awaitTrace(traceId, 3))
        .isUnbroken()
        .hasSpanCount(3)
        .hasHop("orders", "payments", "http");
  }

  @Test
  void isUnbroken_headersDropped_blamesThePath() {
    String traceId = flow(true, h -> new HashMap<>());

    assertThatThrownBy(() -> TraceAssert.assertThat(capture.awaitTrace(traceId, 2)).isUnbroken())
        .hasMessageContaining(
            "hop orders -> payments (http): payments' SERVER span GET /pay started a new trace;"
                + " it received [] while orders injected [tracecontext, baggage]")
        .hasMessageContaining("context_stripped");
  }

  @Test
  void hasHop_headersDropped_saysWhichHopBroke() {
    String traceId = flow(false, h -> new HashMap<>());

    assertThatThrownBy(
            () ->
                TraceAssert.assertThat(capture.awaitTrace(traceId, 2))
                    .hasHop("orders", "payments", "messaging"))
        .hasMessageContaining(
            "hop orders -> payments (messaging): payments' CONSUMER span process started a new"
                + " trace; it received [] while orders injected [tracecontext, baggage]");
  }

  @Test
  void hasHop_onlyBaggageArrived_saysNotInjectedTraceFormats() {
    String traceId =
        flow(
            true,
            h -> {
              Map<String, String> left = new HashMap<>(h);
              left.remove("traceparent");
              return left;
            });

    assertThatThrownBy(
            () ->
                TraceAssert.assertThat(capture.awaitTrace(traceId, 2))
                    .hasHop("orders", "payments", "http"))
        .hasMessageContaining("it received [baggage] while orders injected [tracecontext, baggage]")
        .hasMessageContaining("context_stripped");
  }

  @Test
  void hasHop_otherTransport_namesTheActualOne() {
    String traceId = flow(true, h -> h);

    assertThatThrownBy(
            () ->
                TraceAssert.assertThat(capture.awaitTrace(traceId, 3))
                    .hasHop("orders", "payments", "grpc"))
        .hasMessageContaining(
            "hop orders -> payments (grpc): the hop exists but its transport is http");
  }

  @Test
  void hasHop_unknownCallee_saysItReportedNothing() {
    String traceId = flow(true, h -> h);

    assertThatThrownBy(
            () ->
                TraceAssert.assertThat(capture.awaitTrace(traceId, 3))
                    .hasHop("orders", "ledger", "http"))
        .hasMessageContaining("ledger reported no entry span (SERVER or CONSUMER) at all");
  }

  @Test
  void isUnbroken_parentNeverReported_namesMissingSpan() {
    OpenTelemetry orders = capture.service("orders");
    Span lost = orders.getTracer("test").spanBuilder("never ends").startSpan();
    Span child =
        orders
            .getTracer("test")
            .spanBuilder("child")
            .setParent(Context.root().with(lost))
            .startSpan();
    child.end();

    assertThatThrownBy(
            () ->
                TraceAssert.assertThat(capture.awaitTrace(child.getSpanContext().getTraceId(), 1))
                    .isUnbroken())
        .hasMessageContaining(
            "orders' INTERNAL span child has parent "
                + lost.getSpanContext().getSpanId()
                + ", which was never reported (missing_span)");
  }

  @Test
  void hops_trustBoundary_newTraceLinkedToCaller() {
    TracewirePropagator trustBoundary =
        TracewirePropagator.newBuilder().trustBoundary(true).build();
    capture.service("edge", trustBoundary);
    OpenTelemetry orders = capture.service("orders");
    Span root = orders.getTracer("test").spanBuilder("checkout").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      InProcessHop.send(
          orders, true, h -> InProcessHop.receive(capture.service("edge"), h, true, () -> {}));
    } finally {
      root.end();
    }

    List<Hop> hops = capture.awaitTrace(root.getSpanContext().getTraceId(), 2).hops();

    assertThat(hops).hasSize(1);
    assertThat(hops.get(0).intact()).isTrue();
    assertThat(hops.get(0).linked()).isTrue();
    assertThat(hops.get(0).to()).isEqualTo("edge");
    assertThat(hops.get(0).entry().getTraceId()).isNotEqualTo(root.getSpanContext().getTraceId());
  }

  @Test
  void awaitSpans_tooFew_failsNamingWhatArrived() {
    flow(true, h -> h);

    assertThatThrownBy(() -> capture.awaitSpans(4))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("waited 300 ms for 4 spans; 3 finished")
        .hasMessageContaining("SERVER GET /pay (payments");
  }

  @Test
  void service_sameName_sameOpenTelemetry() {
    assertThat(capture.service("orders")).isSameAs(capture.service("orders"));
    assertThatThrownBy(
            () ->
                capture.service(
                    "orders", TracewirePropagator.newBuilder().inject(Format.B3).build()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void reset_beforeEachTest_startsEmpty() {
    // a span from this test only: the extension emptied the exporter before it
    List<SpanData> before = capture.spans();
    assertThat(before).isEmpty();
  }
}
