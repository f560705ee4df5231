package dev.tracewire.propagation;

import static dev.tracewire.propagation.Formats.invalid;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/**
 * B3 single header: {@code b3: {traceid}-{spanid}[-{sampling}[-{parentspanid}]]} or the
 * sampling-only forms {@code 0}, {@code 1} and {@code d}.
 */
final class B3SingleCodec extends TraceCodec {
  static final B3SingleCodec INSTANCE = new B3SingleCodec();

  static final String B3 = "b3";

  static final FormatReading NOT_SAMPLED_ONLY = samplingOnly(Format.B3, false, false);
  static final FormatReading SAMPLED_ONLY = samplingOnly(Format.B3, true, false);
  static final FormatReading DEBUG_ONLY = samplingOnly(Format.B3, true, true);

  static final FormatReading EMPTY = invalid(Format.B3, "empty b3");
  static final FormatReading BAD_SAMPLING_ONLY =
      invalid(Format.B3, "sampling-only b3 must be 0, 1 or d");
  static final FormatReading BAD_TRACE_ID_LENGTH =
      invalid(Format.B3, "trace id: not 16 or 32 lower-hex characters");
  static final FormatReading BAD_TRACE_ID =
      invalid(Format.B3, "trace id: not 16 or 32 lower-hex characters");
  static final FormatReading ZERO_TRACE_ID = invalid(Format.B3, "trace id: all zeros");
  static final FormatReading BAD_SPAN_ID =
      invalid(Format.B3, "span id: not 16 lower-hex characters");
  static final FormatReading ZERO_SPAN_ID = invalid(Format.B3, "span id: all zeros");
  static final FormatReading BAD_SAMPLING =
      invalid(Format.B3, "sampling: not 0, 1 or d after the span id");
  static final FormatReading BAD_PARENT_ID =
      invalid(Format.B3, "parent span id: not 16 lower-hex characters");

  private static final List<String> FIELDS = List.of(B3);

  private B3SingleCodec() {
    super(Format.B3);
  }

  static FormatReading samplingOnly(Format format, boolean sampled, boolean debug) {
    return new FormatReading(format, true, null, SpanContext.getInvalid(), sampled, debug);
  }

  @Override
  <C> FormatReading read(C carrier, TextMapGetter<C> getter) {
    String value = getter.get(carrier, B3);
    if (value == null) return null;
    return parse(value, 0, value.length());
  }

  static FormatReading parse(CharSequence s, int begin, int end) {
    int b = Formats.trimStart(s, begin, end);
    int e = Formats.trimEnd(s, b, end);
    if (b == e) return EMPTY;
    if (e - b == 1) {
      switch (s.charAt(b)) {
        case '0':
          return NOT_SAMPLED_ONLY;
        case '1':
          return SAMPLED_ONLY;
        case 'd':
          return DEBUG_ONLY;
        default:
          return BAD_SAMPLING_ONLY;
      }
    }
    int traceEnd;
    if (e - b > 16 && s.charAt(b + 16) == '-') {
      traceEnd = b + 16;
    } else if (e - b > 32 && s.charAt(b + 32) == '-') {
      traceEnd = b + 32;
    } else {
      return BAD_TRACE_ID_LENGTH;
    }
    int spanBegin = traceEnd + 1;
    int spanEnd = spanBegin + 16;
    if (spanEnd > e || (spanEnd < e && s.charAt(spanEnd) != '-')) return BAD_SPAN_ID;
    Boolean sampled = null;
    boolean debug = false;
    if (spanEnd < e) {
      int pos = spanEnd + 1;
      if (pos >= e || (pos + 1 < e && s.charAt(pos + 1) != '-')) return BAD_SAMPLING;
      switch (s.charAt(pos)) {
        case '0':
          sampled = Boolean.FALSE;
          break;
        case '1':
          sampled = Boolean.TRUE;
          break;
        case 'd':
          sampled = Boolean.TRUE;
          debug = true;
          break;
        default:
          return BAD_SAMPLING;
      }
      pos += 2;
      if (pos - 1 < e) {
        // a parent span id follows; it is not used, but a malformed one makes the header suspect
        if (e - pos != 16 || Hex.spanId(s, pos, e, Hex.LOWER) == null) return BAD_PARENT_ID;
      }
    }
    SpanContext spanContext =
        SpanContext.createFromRemoteParent(
            Hex.copyTraceId(s, b, traceEnd),
            Hex.copySpanId(s, spanBegin, spanEnd),
            flags(sampled),
            TraceState.getDefault());
    if (!spanContext.isValid()) {
      if (Hex.traceId(s, b, traceEnd, Hex.LOWER) == null) {
        return Hex.allZeros(s, b, traceEnd) ? ZERO_TRACE_ID : BAD_TRACE_ID;
      }
      return Hex.allZeros(s, spanBegin, spanEnd) ? ZERO_SPAN_ID : BAD_SPAN_ID;
    }
    return Formats.valid(Format.B3, spanContext, sampled, debug);
  }

  /** B3 may defer the decision; OpenTelemetry has no "deferred", so it becomes not sampled. */
  static TraceFlags flags(Boolean sampled) {
    return sampled == Boolean.TRUE ? TraceFlags.getSampled() : TraceFlags.getDefault();
  }

  @Override
  <C> void write(Context context, SpanContext spanContext, C carrier, TextMapSetter<C> setter) {
    setter.set(
        carrier,
        B3,
        spanContext.getTraceId()
            + '-'
            + spanContext.getSpanId()
            + (spanContext.isSampled() ? "-1" : "-0"));
  }

  @Override
  List<String> fields() {
    return FIELDS;
  }
}
