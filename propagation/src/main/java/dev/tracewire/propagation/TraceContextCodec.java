package dev.tracewire.propagation;

import static dev.tracewire.propagation.Formats.invalid;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Iterator;
import java.util.List;

/** W3C Trace Context level 2: {@code traceparent} and {@code tracestate}. */
final class TraceContextCodec extends TraceCodec {
  static final TraceContextCodec INSTANCE = new TraceContextCodec();

  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";

  /** Sampled (0x01) and random (0x02): the flags level 2 defines; others are zeroed. */
  static final int KNOWN_FLAGS = 0x03;

  private static final int LENGTH = 55;
  private static final String[] FLAGS_HEX = {"00", "01", "02", "03"};

  static final FormatReading TWO_HEADERS =
      invalid(Format.TRACECONTEXT, "more than one traceparent header");
  static final FormatReading EMPTY = invalid(Format.TRACECONTEXT, "empty traceparent");
  static final FormatReading TOO_SHORT =
      invalid(Format.TRACECONTEXT, "traceparent shorter than 55 characters");
  static final FormatReading BAD_VERSION =
      invalid(Format.TRACECONTEXT, "version: not 2 lower-hex characters");
  static final FormatReading VERSION_FF = invalid(Format.TRACECONTEXT, "version ff is forbidden");
  static final FormatReading VERSION_00_LENGTH =
      invalid(Format.TRACECONTEXT, "version 00 must be exactly 55 characters");
  static final FormatReading FUTURE_VERSION_SUFFIX =
      invalid(Format.TRACECONTEXT, "future version: characters after flags must follow a '-'");
  static final FormatReading BAD_DELIMITER =
      invalid(Format.TRACECONTEXT, "fields not separated by '-' at 2, 35 and 52");
  static final FormatReading BAD_TRACE_ID =
      invalid(Format.TRACECONTEXT, "trace-id: not 32 lower-hex characters");
  static final FormatReading ZERO_TRACE_ID = invalid(Format.TRACECONTEXT, "trace-id: all zeros");
  static final FormatReading BAD_PARENT_ID =
      invalid(Format.TRACECONTEXT, "parent-id: not 16 lower-hex characters");
  static final FormatReading ZERO_PARENT_ID = invalid(Format.TRACECONTEXT, "parent-id: all zeros");
  static final FormatReading BAD_FLAGS =
      invalid(Format.TRACECONTEXT, "trace-flags: not 2 lower-hex characters");

  private static final List<String> FIELDS = List.of(TRACEPARENT, TRACESTATE);

  private TraceContextCodec() {
    super(Format.TRACECONTEXT);
  }

  @Override
  <C> FormatReading read(C carrier, TextMapGetter<C> getter) {
    return read(carrier, getter, HeaderNames.UNKNOWN);
  }

  @Override
  <C> FormatReading read(C carrier, TextMapGetter<C> getter, int listed) {
    Iterator<String> values = getter.getAll(carrier, TRACEPARENT);
    if (values == null || !values.hasNext()) return null;
    String value = values.next();
    // Two traceparent headers cannot be told apart; the spec says to ignore both.
    if (values.hasNext()) return TWO_HEADERS;
    if (value == null) return null;
    FormatReading reading = parse(value, 0, value.length(), TraceState.getDefault());
    if (!reading.valid() || !HeaderNames.has(listed, HeaderNames.TRACESTATE)) return reading;
    TraceState traceState = W3CTraceState.read(carrier, getter);
    if (traceState.isEmpty()) return reading;
    SpanContext parent = reading.spanContext();
    return Formats.valid(
        Format.TRACECONTEXT,
        SpanContext.createFromRemoteParent(
            parent.getTraceId(), parent.getSpanId(), parent.getTraceFlags(), traceState),
        reading.sampled(),
        false);
  }

  /** Parses one traceparent value in {@code [begin, end)}, surrounding OWS allowed. */
  static FormatReading parse(CharSequence s, int begin, int end, TraceState traceState) {
    int b = Formats.trimStart(s, begin, end);
    int e = Formats.trimEnd(s, b, end);
    if (b == e) return EMPTY;
    if (e - b < LENGTH) return TOO_SHORT;
    long version = Hex.upTo8(s, b, b + 2, Hex.LOWER);
    if (version < 0) return BAD_VERSION;
    if (version == 0xff) return VERSION_FF;
    if (version == 0 && e - b != LENGTH) return VERSION_00_LENGTH;
    if (e - b > LENGTH && s.charAt(b + LENGTH) != '-') return FUTURE_VERSION_SUFFIX;
    if (s.charAt(b + 2) != '-' || s.charAt(b + 35) != '-' || s.charAt(b + 52) != '-') {
      return BAD_DELIMITER;
    }
    long flags = Hex.upTo8(s, b + 53, b + 55, Hex.LOWER);
    if (flags < 0) return BAD_FLAGS;
    SpanContext spanContext =
        SpanContext.createFromRemoteParent(
            Hex.copyTraceId(s, b + 3, b + 35),
            Hex.copySpanId(s, b + 36, b + 52),
            TraceFlags.fromByte((byte) (flags & KNOWN_FLAGS)),
            traceState);
    if (!spanContext.isValid()) return whyInvalid(s, b);
    return Formats.valid(Format.TRACECONTEXT, spanContext, (flags & 0x01) != 0, false);
  }

  private static FormatReading whyInvalid(CharSequence s, int b) {
    if (Hex.traceId(s, b + 3, b + 35, Hex.LOWER) == null) {
      return Hex.allZeros(s, b + 3, b + 35) ? ZERO_TRACE_ID : BAD_TRACE_ID;
    }
    return Hex.allZeros(s, b + 36, b + 52) ? ZERO_PARENT_ID : BAD_PARENT_ID;
  }

  @Override
  <C> void write(Context context, SpanContext spanContext, C carrier, TextMapSetter<C> setter) {
    int flags = spanContext.getTraceFlags().asByte() & KNOWN_FLAGS;
    setter.set(
        carrier,
        TRACEPARENT,
        "00-" + spanContext.getTraceId() + "-" + spanContext.getSpanId() + "-" + FLAGS_HEX[flags]);
    TraceState traceState = spanContext.getTraceState();
    if (!traceState.isEmpty()) setter.set(carrier, TRACESTATE, W3CTraceState.encode(traceState));
  }

  @Override
  List<String> fields() {
    return FIELDS;
  }
}
