package dev.tracewire.cli;

import dev.tracewire.propagation.FormatReading;
import dev.tracewire.propagation.HopDiagnostics;
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

  // W3C Trace Context level 2 random flag (02): true of the trace ids this class makes
  private static final TraceFlags NEW_TRACE = TraceFlags.fromByte((byte) 0x02);
  private static final TraceFlags NEW_SAMPLED_TRACE = TraceFlags.fromByte((byte) 0x03);

  private Downstream() {}

  /**
   * Returns {@code extracted} with a client span as current: a child of the extracted remote parent
   * keeping its trace id, flags and tracestate, or a new root when there was none, sampled unless a
   * sampling-only header (such as {@code b3: 0}) said otherwise.
   */
  static Context clientContext(Context extracted) {
    SpanContext parent = Span.fromContext(extracted).getSpanContext();
    SpanContext client =
        parent.isValid()
            ? SpanContext.create(
                parent.getTraceId(), newSpanId(), parent.getTraceFlags(), parent.getTraceState())
            : SpanContext.create(
                newTraceId(),
                newSpanId(),
                newTraceFlags(HopDiagnostics.fromContext(extracted)),
                TraceState.getDefault());
    return extracted.with(Span.wrap(client));
  }

  private static TraceFlags newTraceFlags(HopDiagnostics diagnostics) {
    // a trust boundary refuses the caller's sampling decision along with its trace
    if (diagnostics == null || diagnostics.trustBoundaryApplied()) return NEW_SAMPLED_TRACE;
    for (FormatReading reading : diagnostics.readings()) {
      if (reading.valid() && reading.sampled() != null) {
        return reading.sampled() || reading.debug() ? NEW_SAMPLED_TRACE : NEW_TRACE;
      }
    }
    return NEW_SAMPLED_TRACE;
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
