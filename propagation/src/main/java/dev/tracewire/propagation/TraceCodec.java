package dev.tracewire.propagation;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/** Reads and writes one trace format. Implementations never throw on bad header values. */
abstract class TraceCodec {
  final Format format;

  TraceCodec(Format format) {
    this.format = format;
  }

  /** Returns what this format carried, or {@code null} when none of its headers is present. */
  abstract <C> FormatReading read(C carrier, TextMapGetter<C> getter);

  /**
   * Like {@link #read(Object, TextMapGetter)}, skipping lookups of optional headers absent from
   * {@code listed} ({@link HeaderNames#listed}).
   */
  <C> FormatReading read(C carrier, TextMapGetter<C> getter, int listed) {
    return read(carrier, getter);
  }

  /** Writes the valid {@code spanContext} in this format; {@code context} supplies baggage. */
  abstract <C> void write(
      Context context, SpanContext spanContext, C carrier, TextMapSetter<C> setter);

  /** Header names this codec may write, except dynamic ones such as {@code uberctx-*}. */
  abstract List<String> fields();

  static TraceCodec of(Format format) {
    switch (format) {
      case TRACECONTEXT:
        return TraceContextCodec.INSTANCE;
      case B3:
        return B3SingleCodec.INSTANCE;
      case B3_MULTI:
        return B3MultiCodec.INSTANCE;
      case JAEGER:
        return JaegerCodec.INSTANCE;
      case SENTRY:
        return SentryCodec.INSTANCE;
      default:
        throw new IllegalArgumentException(
            "format: " + format + " (expected: a trace format, not baggage or request id)");
    }
  }
}
