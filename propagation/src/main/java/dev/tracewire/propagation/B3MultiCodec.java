package dev.tracewire.propagation;

import static dev.tracewire.propagation.Formats.invalid;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/**
 * B3 multiple headers: {@code X-B3-TraceId}, {@code X-B3-SpanId}, {@code X-B3-ParentSpanId}, {@code
 * X-B3-Sampled} and {@code X-B3-Flags} ({@code 1} = debug).
 */
final class B3MultiCodec extends TraceCodec {
  static final B3MultiCodec INSTANCE = new B3MultiCodec();

  static final String TRACE_ID = "X-B3-TraceId";
  static final String SPAN_ID = "X-B3-SpanId";
  static final String PARENT_SPAN_ID = "X-B3-ParentSpanId";
  static final String SAMPLED = "X-B3-Sampled";
  static final String FLAGS = "X-B3-Flags";

  static final FormatReading NOT_SAMPLED_ONLY =
      B3SingleCodec.samplingOnly(Format.B3_MULTI, false, false);
  static final FormatReading SAMPLED_ONLY =
      B3SingleCodec.samplingOnly(Format.B3_MULTI, true, false);
  static final FormatReading DEBUG_ONLY = B3SingleCodec.samplingOnly(Format.B3_MULTI, true, true);

  static final FormatReading NO_DECISION =
      invalid(Format.B3_MULTI, "X-B3-Flags other than 1 without X-B3-TraceId carries nothing");
  static final FormatReading MISSING_TRACE_ID =
      invalid(Format.B3_MULTI, "X-B3-TraceId missing while X-B3-SpanId is present");
  static final FormatReading MISSING_SPAN_ID =
      invalid(Format.B3_MULTI, "X-B3-SpanId missing while X-B3-TraceId is present");
  static final FormatReading BAD_TRACE_ID =
      invalid(Format.B3_MULTI, "X-B3-TraceId: not 16 or 32 lower-hex characters");
  static final FormatReading ZERO_TRACE_ID = invalid(Format.B3_MULTI, "X-B3-TraceId: all zeros");
  static final FormatReading BAD_SPAN_ID =
      invalid(Format.B3_MULTI, "X-B3-SpanId: not 16 lower-hex characters");
  static final FormatReading ZERO_SPAN_ID = invalid(Format.B3_MULTI, "X-B3-SpanId: all zeros");
  static final FormatReading BAD_PARENT_ID =
      invalid(Format.B3_MULTI, "X-B3-ParentSpanId: not 16 lower-hex characters");
  static final FormatReading BAD_SAMPLED =
      invalid(Format.B3_MULTI, "X-B3-Sampled: not 1, 0, true or false");

  private static final List<String> FIELDS = List.of(TRACE_ID, SPAN_ID, SAMPLED);

  private B3MultiCodec() {
    super(Format.B3_MULTI);
  }

  @Override
  <C> FormatReading read(C carrier, TextMapGetter<C> getter) {
    String traceIdValue = getter.get(carrier, TRACE_ID);
    String sampledValue = getter.get(carrier, SAMPLED);
    String flagsValue = getter.get(carrier, FLAGS);
    // like Brave: without a trace id only a sampling decision can be present, so three lookups
    // tell a request without B3 headers
    if (traceIdValue == null) {
      if (sampledValue == null && flagsValue == null) return null;
      return parse(null, null, null, sampledValue, flagsValue);
    }
    String spanIdValue = getter.get(carrier, SPAN_ID);
    String parentValue = getter.get(carrier, PARENT_SPAN_ID);
    return parse(traceIdValue, spanIdValue, parentValue, sampledValue, flagsValue);
  }

  static FormatReading parse(
      String traceIdValue,
      String spanIdValue,
      String parentValue,
      String sampledValue,
      String flagsValue) {
    boolean debug = isOne(flagsValue);
    Boolean sampled = debug ? Boolean.TRUE : null;
    if (!debug && sampledValue != null) {
      sampled = sampled(sampledValue);
      if (sampled == null) return BAD_SAMPLED;
    }
    if (traceIdValue == null && spanIdValue == null) {
      if (debug) return DEBUG_ONLY;
      if (sampled == null) return NO_DECISION;
      return sampled ? SAMPLED_ONLY : NOT_SAMPLED_ONLY;
    }
    if (traceIdValue == null) return MISSING_TRACE_ID;
    if (spanIdValue == null) return MISSING_SPAN_ID;

    int tb = Formats.trimStart(traceIdValue, 0, traceIdValue.length());
    int te = Formats.trimEnd(traceIdValue, tb, traceIdValue.length());
    if (te - tb != 16 && te - tb != 32) return BAD_TRACE_ID;
    int sb = Formats.trimStart(spanIdValue, 0, spanIdValue.length());
    int se = Formats.trimEnd(spanIdValue, sb, spanIdValue.length());
    if (se - sb != 16) return BAD_SPAN_ID;
    if (parentValue != null) {
      int pb = Formats.trimStart(parentValue, 0, parentValue.length());
      int pe = Formats.trimEnd(parentValue, pb, parentValue.length());
      if (pe - pb != 16 || Hex.spanId(parentValue, pb, pe, Hex.LOWER) == null) return BAD_PARENT_ID;
    }
    SpanContext spanContext =
        SpanContext.createFromRemoteParent(
            Hex.copyTraceId(traceIdValue, tb, te),
            Hex.copySpanId(spanIdValue, sb, se),
            B3SingleCodec.flags(sampled),
            TraceState.getDefault());
    if (!spanContext.isValid()) {
      if (Hex.traceId(traceIdValue, tb, te, Hex.LOWER) == null) {
        return Hex.allZeros(traceIdValue, tb, te) ? ZERO_TRACE_ID : BAD_TRACE_ID;
      }
      return Hex.allZeros(spanIdValue, sb, se) ? ZERO_SPAN_ID : BAD_SPAN_ID;
    }
    return Formats.valid(Format.B3_MULTI, spanContext, sampled, debug);
  }

  private static boolean isOne(String value) {
    if (value == null) return false;
    int b = Formats.trimStart(value, 0, value.length());
    int e = Formats.trimEnd(value, b, value.length());
    return e - b == 1 && value.charAt(b) == '1';
  }

  /** Returns the decision in {@code value}, or {@code null} when it is not one. */
  private static Boolean sampled(String value) {
    int b = Formats.trimStart(value, 0, value.length());
    int e = Formats.trimEnd(value, b, value.length());
    int length = e - b;
    if (length == 1) {
      char c = value.charAt(b);
      if (c == '1') return Boolean.TRUE;
      if (c == '0') return Boolean.FALSE;
      return null;
    }
    // "true" and "false" are what early B3 implementations sent
    if (length == 4 && value.regionMatches(true, b, "true", 0, 4)) return Boolean.TRUE;
    if (length == 5 && value.regionMatches(true, b, "false", 0, 5)) return Boolean.FALSE;
    return null;
  }

  @Override
  <C> void write(Context context, SpanContext spanContext, C carrier, TextMapSetter<C> setter) {
    setter.set(carrier, TRACE_ID, spanContext.getTraceId());
    setter.set(carrier, SPAN_ID, spanContext.getSpanId());
    setter.set(carrier, SAMPLED, spanContext.isSampled() ? "1" : "0");
  }

  @Override
  List<String> fields() {
    return FIELDS;
  }
}
