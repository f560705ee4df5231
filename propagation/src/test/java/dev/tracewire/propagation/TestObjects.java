package dev.tracewire.propagation;

/** Named header fixtures: one trace as every format writes it, and its broken shapes. */
final class TestObjects {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  /** The low 64 bits of {@link #TRACE_ID}, as a 64-bit B3 or Jaeger tracer sends it. */
  static final String TRACE_ID_64 = "a3ce929d0e0e4736";

  /** {@link #TRACE_ID_64} normalised to 128 bits. */
  static final String TRACE_ID_64_PADDED = "0000000000000000a3ce929d0e0e4736";

  static final String SPAN_ID = "00f067aa0ba902b7";
  static final String PARENT_SPAN_ID = "b7ad6b7169203331";

  static final String OTHER_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String OTHER_SPAN_ID = "e457b5a2e4d86bd1";

  /** W3C, sampled. */
  static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  static final String TRACEPARENT_NOT_SAMPLED = "00-" + TRACE_ID + "-" + SPAN_ID + "-00";

  /** W3C level 2: sampled and random. */
  static final String TRACEPARENT_RANDOM = "00-" + TRACE_ID + "-" + SPAN_ID + "-03";

  static final String TRACEPARENT_UPPERCASE =
      "00-" + TRACE_ID.toUpperCase() + "-" + SPAN_ID + "-01";

  static final String TRACESTATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

  /** B3 single, 128-bit trace id, sampled, with parent. */
  static final String B3 = TRACE_ID + "-" + SPAN_ID + "-1-" + PARENT_SPAN_ID;

  /** B3 single as a 64-bit tracer (e.g. old Brave) sends the same trace. */
  static final String B3_64BIT = TRACE_ID_64 + "-" + SPAN_ID + "-1";

  static final String B3_DEBUG = TRACE_ID + "-" + SPAN_ID + "-d";

  /** B3 single naming another trace: conflicts with {@link #TRACEPARENT}. */
  static final String B3_OTHER_TRACE = OTHER_TRACE_ID + "-" + OTHER_SPAN_ID + "-1";

  /** Jaeger, sampled, parent 0. */
  static final String UBER_TRACE_ID = TRACE_ID + ":" + SPAN_ID + ":0:1";

  static final String UBER_TRACE_ID_URL_ENCODED = TRACE_ID + "%3A" + SPAN_ID + "%3A0%3A1";

  static final String SENTRY_TRACE = TRACE_ID + "-" + SPAN_ID + "-1";

  /** Sentry without the sampled flag: the decision is deferred. */
  static final String SENTRY_TRACE_DEFERRED = TRACE_ID + "-" + SPAN_ID;

  static final String BAGGAGE = "userId=alice,serverNode=DF%2028,isProduction=false";

  static final String SENTRY_BAGGAGE =
      "sentry-trace_id=" + TRACE_ID + ",sentry-public_key=49d0f7386ad645858ae85020e393bef3";

  static final String REQUEST_ID = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6";

  /** Every trace format, all agreeing on one trace and caller span. */
  static Headers allFormats() {
    return Headers.of(
        "traceparent", TRACEPARENT,
        "tracestate", TRACESTATE,
        "b3", B3,
        "X-B3-TraceId", TRACE_ID,
        "X-B3-SpanId", SPAN_ID,
        "X-B3-Sampled", "1",
        "uber-trace-id", UBER_TRACE_ID,
        "sentry-trace", SENTRY_TRACE,
        "baggage", BAGGAGE,
        "x-request-id", REQUEST_ID);
  }

  private TestObjects() {}
}
