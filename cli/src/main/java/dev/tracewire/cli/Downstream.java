package dev.tracewire.cli;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The outgoing side of a hop: a span that continues the extracted trace (or starts one when none
 * arrived) with a fresh random span id, and the headers the propagator writes for it.
 */
final class Downstream {
  /** Said in every output that shows downstream headers, so nobody mistakes the id for stable. */
  static final String NOTE = "span id of the downstream call is random";

  // W3C Trace Context level 2: sampled (01) plus random trace id (02) for traces we start
  private static final TraceFlags NEW_TRACE_FLAGS = TraceFlags.fromByte((byte) 0x03);

  private Downstream() {}

  /**
   * Returns {@code extracted} with a client span as current: a child of the extracted remote parent
   * keeping its trace id, flags and tracestate, or a new sampled root when there was none.
   */
  static Context clientContext(Context extracted) {
    SpanContext parent = Span.fromContext(extracted).getSpanContext();
    SpanContext client =
        parent.isValid()
            ? SpanContext.create(
                parent.getTraceId(), newSpanId(), parent.getTraceFlags(), parent.getTraceState())
            : SpanContext.create(
                newTraceId(), newSpanId(), NEW_TRACE_FLAGS, TraceState.getDefault());
    return extracted.with(Span.wrap(client));
  }

  /** Returns the headers {@code propagator} writes for {@code clientContext}, in write order. */
  static Map<String, String> inject(TextMapPropagator propagator, Context clientContext) {
    Map<String, String> headers = new LinkedHashMap<>();
    propagator.inject(
        clientContext,
        headers,
        (carrier, key, value) -> {
          if (carrier != null && key != null && value != null) carrier.put(key, value);
        });
    return headers;
  }

  private static String newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return SpanId.fromLong(id);
  }

  private static String newTraceId() {
    long high;
    long low;
    do {
      high = ThreadLocalRandom.current().nextLong();
      low = ThreadLocalRandom.current().nextLong();
    } while (high == 0 && low == 0);
    return TraceId.fromLongs(high, low);
  }
}
