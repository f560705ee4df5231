package dev.tracewire.propagation;

import static dev.tracewire.propagation.Formats.invalid;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/**
 * Sentry: {@code sentry-trace: {32 hex trace id}-{16 hex span id}[-{0|1}]}; without the sampled
 * flag the decision is deferred. Sentry's {@code sentry-*} baggage members travel in W3C baggage.
 */
final class SentryCodec extends TraceCodec {
  static final SentryCodec INSTANCE = new SentryCodec();

  static final String SENTRY_TRACE = "sentry-trace";

  static final FormatReading EMPTY = invalid(Format.SENTRY, "empty sentry-trace");
  static final FormatReading BAD_LENGTH =
      invalid(Format.SENTRY, "not {32 hex}-{16 hex} with an optional -0 or -1");
  static final FormatReading BAD_TRACE_ID =
      invalid(Format.SENTRY, "trace id: not 32 lower-hex characters");
  static final FormatReading ZERO_TRACE_ID = invalid(Format.SENTRY, "trace id: all zeros");
  static final FormatReading BAD_SPAN_ID =
      invalid(Format.SENTRY, "span id: not 16 lower-hex characters");
  static final FormatReading ZERO_SPAN_ID = invalid(Format.SENTRY, "span id: all zeros");
  static final FormatReading BAD_SAMPLED = invalid(Format.SENTRY, "sampled flag: not 0 or 1");

  private static final List<String> FIELDS = List.of(SENTRY_TRACE);

  private SentryCodec() {
    super(Format.SENTRY);
  }

  @Override
  <C> FormatReading read(C carrier, TextMapGetter<C> getter) {
    String value = getter.get(carrier, SENTRY_TRACE);
    if (value == null) return null;
    return parse(value, 0, value.length());
  }

  static FormatReading parse(CharSequence s, int begin, int end) {
    int b = Formats.trimStart(s, begin, end);
    int e = Formats.trimEnd(s, b, end);
    if (b == e) return EMPTY;
    int length = e - b;
    if ((length != 49 && length != 51) || s.charAt(b + 32) != '-') return BAD_LENGTH;
    Boolean sampled = null;
    if (length == 51) {
      if (s.charAt(b + 49) != '-') return BAD_LENGTH;
      char flag = s.charAt(b + 50);
      if (flag == '1') {
        sampled = Boolean.TRUE;
      } else if (flag == '0') {
        sampled = Boolean.FALSE;
      } else {
        return BAD_SAMPLED;
      }
    }
    SpanContext spanContext =
        SpanContext.createFromRemoteParent(
            Hex.copyTraceId(s, b, b + 32),
            Hex.copySpanId(s, b + 33, b + 49),
            B3SingleCodec.flags(sampled),
            TraceState.getDefault());
    if (!spanContext.isValid()) {
      if (Hex.traceId(s, b, b + 32, Hex.LOWER) == null) {
        return Hex.allZeros(s, b, b + 32) ? ZERO_TRACE_ID : BAD_TRACE_ID;
      }
      return Hex.allZeros(s, b + 33, b + 49) ? ZERO_SPAN_ID : BAD_SPAN_ID;
    }
    return Formats.valid(Format.SENTRY, spanContext, sampled, false);
  }

  @Override
  <C> void write(Context context, SpanContext spanContext, C carrier, TextMapSetter<C> setter) {
    setter.set(
        carrier,
        SENTRY_TRACE,
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
