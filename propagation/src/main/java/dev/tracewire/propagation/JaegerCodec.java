package dev.tracewire.propagation;

import static dev.tracewire.propagation.Formats.invalid;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/**
 * Jaeger: {@code uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}}, also with the
 * separators url-encoded ({@code %3A}); ids of 1 to 32 (trace) or 16 (span) hex characters are
 * left-padded. {@code uberctx-{key}} headers carry baggage.
 */
final class JaegerCodec extends TraceCodec {
  static final JaegerCodec INSTANCE = new JaegerCodec();

  static final String UBER_TRACE_ID = "uber-trace-id";
  static final String BAGGAGE_PREFIX = "uberctx-";

  static final FormatReading EMPTY = invalid(Format.JAEGER, "empty uber-trace-id");
  static final FormatReading FIELD_COUNT =
      invalid(Format.JAEGER, "not 4 fields separated by ':' (or %3A)");
  static final FormatReading BAD_TRACE_ID =
      invalid(Format.JAEGER, "trace-id: not 1 to 32 hex characters");
  static final FormatReading ZERO_TRACE_ID = invalid(Format.JAEGER, "trace-id: all zeros");
  static final FormatReading BAD_SPAN_ID =
      invalid(Format.JAEGER, "span-id: not 1 to 16 hex characters");
  static final FormatReading ZERO_SPAN_ID = invalid(Format.JAEGER, "span-id: all zeros");
  static final FormatReading BAD_PARENT_ID =
      invalid(Format.JAEGER, "parent-span-id: not 1 to 16 hex characters");
  static final FormatReading BAD_FLAGS = invalid(Format.JAEGER, "flags: not 1 or 2 hex characters");

  private static final List<String> FIELDS = List.of(UBER_TRACE_ID);

  private JaegerCodec() {
    super(Format.JAEGER);
  }

  @Override
  <C> FormatReading read(C carrier, TextMapGetter<C> getter) {
    String value = getter.get(carrier, UBER_TRACE_ID);
    if (value == null) return null;
    return parse(value, 0, value.length());
  }

  static FormatReading parse(CharSequence s, int begin, int end) {
    int b = Formats.trimStart(s, begin, end);
    int e = Formats.trimEnd(s, b, end);
    if (b == e) return EMPTY;
    // [begin, end) of the four fields, found in one pass
    int traceEnd = separator(s, b, e);
    if (traceEnd < 0) return FIELD_COUNT;
    int spanBegin = afterSeparator(s, traceEnd);
    int spanEnd = separator(s, spanBegin, e);
    if (spanEnd < 0) return FIELD_COUNT;
    int parentBegin = afterSeparator(s, spanEnd);
    int parentEnd = separator(s, parentBegin, e);
    if (parentEnd < 0) return FIELD_COUNT;
    int flagsBegin = afterSeparator(s, parentEnd);
    if (separator(s, flagsBegin, e) >= 0) return FIELD_COUNT;

    int parentLength = parentEnd - parentBegin;
    if (parentLength < 1
        || parentLength > 16
        || (Hex.spanId(s, parentBegin, parentEnd, Hex.ANY_CASE) == null
            && !Hex.allZeros(s, parentBegin, parentEnd))) {
      return BAD_PARENT_ID;
    }
    int flagsLength = e - flagsBegin;
    long flags =
        flagsLength < 1 || flagsLength > 2 ? -1 : Hex.upTo8(s, flagsBegin, e, Hex.ANY_CASE);
    if (flags < 0) return BAD_FLAGS;
    boolean sampled = (flags & 0x01) != 0;
    TraceFlags traceFlags = sampled ? TraceFlags.getSampled() : TraceFlags.getDefault();

    SpanContext spanContext = SpanContext.getInvalid();
    int traceLength = traceEnd - b;
    if ((traceLength == 32 || traceLength == 16) && spanEnd - spanBegin == 16) {
      // what OpenTelemetry and padded Jaeger clients send: copy and let create validate
      spanContext =
          SpanContext.createFromRemoteParent(
              Hex.copyTraceId(s, b, traceEnd),
              Hex.copySpanId(s, spanBegin, spanEnd),
              traceFlags,
              TraceState.getDefault());
    }
    if (!spanContext.isValid()) {
      // short or upper-case ids, as Jaeger clients print them: decode and left-pad
      String traceId = Hex.traceId(s, b, traceEnd, Hex.ANY_CASE);
      if (traceId == null) return Hex.allZeros(s, b, traceEnd) ? ZERO_TRACE_ID : BAD_TRACE_ID;
      String spanId = Hex.spanId(s, spanBegin, spanEnd, Hex.ANY_CASE);
      if (spanId == null) {
        return Hex.allZeros(s, spanBegin, spanEnd) ? ZERO_SPAN_ID : BAD_SPAN_ID;
      }
      spanContext =
          SpanContext.createFromRemoteParent(traceId, spanId, traceFlags, TraceState.getDefault());
    }
    return Formats.valid(Format.JAEGER, spanContext, sampled, (flags & 0x02) != 0);
  }

  /** Index of the next ':' or "%3A" at or after {@code from}, or -1. */
  private static int separator(CharSequence s, int from, int end) {
    for (int i = from; i < end; i++) {
      char c = s.charAt(i);
      if (c == ':') return i;
      if (c == '%' && i + 2 < end && s.charAt(i + 1) == '3') {
        char a = s.charAt(i + 2);
        if (a == 'A' || a == 'a') return i;
      }
    }
    return -1;
  }

  private static int afterSeparator(CharSequence s, int separator) {
    return s.charAt(separator) == ':' ? separator + 1 : separator + 3;
  }

  @Override
  <C> void write(Context context, SpanContext spanContext, C carrier, TextMapSetter<C> setter) {
    setter.set(
        carrier,
        UBER_TRACE_ID,
        spanContext.getTraceId()
            + ':'
            + spanContext.getSpanId()
            + (spanContext.isSampled() ? ":0:1" : ":0:0"));
    Baggage baggage = Baggage.fromContext(context);
    if (baggage.isEmpty()) return;
    baggage.forEach(
        (key, entry) -> {
          if (BaggageCodec.isToken(key, 0, key.length())) {
            setter.set(carrier, BAGGAGE_PREFIX + key, BaggageCodec.percentEncode(entry.getValue()));
          }
        });
  }

  @Override
  List<String> fields() {
    return FIELDS;
  }
}
