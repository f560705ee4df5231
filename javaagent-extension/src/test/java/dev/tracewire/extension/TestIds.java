package dev.tracewire.extension;

/** Fixed ids for unit tests: two callers that disagree on the trace. */
final class TestIds {
  static final String TRACE_W3C = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_W3C = "00f067aa0ba902b7";
  static final String TRACE_B3 = "80f198ee56343ba864fe8b2a57d3eff7";
  static final String SPAN_B3 = "e457b5a2e4d86bd1";

  static final String TRACEPARENT = "00-" + TRACE_W3C + "-" + SPAN_W3C + "-01";
  static final String B3 = TRACE_B3 + "-" + SPAN_B3 + "-1";
  static final String SENTRY_TRACE = TRACE_B3 + "-" + SPAN_B3 + "-1";

  private TestIds() {}
}
