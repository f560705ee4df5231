package dev.tracewire.server.model;

/**
 * Checks ingest applies before storing a span. Each method returns {@code null} when the input is
 * fine, else one of the fixed reason strings below (stable, so they can label a rejection metric
 * and fill OTLP {@code partial_success.error_message}). Never throws on bad input.
 *
 * <pre>{@code
 * String why = SpanValidation.traceIdBytes(otlpSpan.getTraceId().toByteArray());
 * if (why == null) why = SpanValidation.problem(span);
 * if (why != null) rejected(why);
 * }</pre>
 */
public final class SpanValidation {
  public static final String TRACE_ID_LENGTH = "invalid trace id length (expected 16 bytes)";
  public static final String TRACE_ID_HEX = "invalid trace id (expected 32 or 16 hex digits)";
  public static final String TRACE_ID_ZERO = "trace id is all zeros";
  public static final String SPAN_ID_LENGTH = "invalid span id length (expected 8 bytes)";
  public static final String SPAN_ID_HEX = "invalid span id (expected 16 hex digits)";
  public static final String SPAN_ID_ZERO = "span id is all zeros";
  public static final String PARENT_SPAN_ID_LENGTH =
      "invalid parent span id length (expected 8 bytes or empty)";
  public static final String PARENT_SPAN_ID_HEX =
      "invalid parent span id (expected 16 hex digits or empty)";
  public static final String END_BEFORE_START = "end time before start time";
  public static final String START_MISSING = "start time missing";

  /** Checks OTLP trace id bytes: exactly 16 and not all zero. */
  public static String traceIdBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 16) return TRACE_ID_LENGTH;
    return allZero(bytes) ? TRACE_ID_ZERO : null;
  }

  /** Checks OTLP span id bytes: exactly 8 and not all zero. */
  public static String spanIdBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 8) return SPAN_ID_LENGTH;
    return allZero(bytes) ? SPAN_ID_ZERO : null;
  }

  /** Checks OTLP parent span id bytes: empty (root) or exactly 8. */
  public static String parentSpanIdBytes(byte[] bytes) {
    if (bytes == null || bytes.length == 0 || bytes.length == 8) return null;
    return PARENT_SPAN_ID_LENGTH;
  }

  /** Checks a hex trace id (OTLP JSON, Zipkin): 32 or 16 hex digits, either case, not all zero. */
  public static String traceIdHex(CharSequence hex) {
    TraceId id = TraceId.fromHex(hex);
    if (id == null) return TRACE_ID_HEX;
    return id.isValid() ? null : TRACE_ID_ZERO;
  }

  /** Checks a hex span id: 16 hex digits, either case, not all zero. */
  public static String spanIdHex(CharSequence hex) {
    if (hex == null || hex.length() != 16 || !isHex(hex)) return SPAN_ID_HEX;
    return SpanId.fromHex(hex) == SpanId.NONE ? SPAN_ID_ZERO : null;
  }

  /** Checks a hex parent span id: empty/null (root) or 16 hex digits. */
  public static String parentSpanIdHex(CharSequence hex) {
    if (hex == null || hex.length() == 0) return null;
    return hex.length() == 16 && isHex(hex) ? null : PARENT_SPAN_ID_HEX;
  }

  /** Checks a decoded span: valid ids, a start time, and end not before start. */
  public static String problem(Span span) {
    if (!span.traceId().isValid()) return TRACE_ID_ZERO;
    if (span.spanId() == SpanId.NONE) return SPAN_ID_ZERO;
    if (span.startEpochNanos() <= 0) return START_MISSING;
    if (span.endEpochNanos() < span.startEpochNanos()) return END_BEFORE_START;
    return null;
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) return false;
    }
    return true;
  }

  private static boolean isHex(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (Hex.digit(s.charAt(i)) < 0) return false;
    }
    return true;
  }

  private SpanValidation() {}
}
