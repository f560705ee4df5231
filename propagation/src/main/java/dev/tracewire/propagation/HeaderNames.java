package dev.tracewire.propagation;

import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * Which formats a carrier holds, from one pass over {@link TextMapGetter#keys}, so that extract
 * looks up only the headers that are there instead of probing for every format.
 *
 * <p>keys() is trusted only when it can be: it must list at least one name, and no name with {@code
 * '_'} (carriers whose names cannot hold {@code '-'}, such as JMS properties, list ours respelled,
 * e.g. {@code X__dash__B3__dash__TraceId}, while get() answers for {@code X-B3-TraceId}). Otherwise
 * the answer is {@link #UNKNOWN} and every format is probed.
 */
final class HeaderNames {
  /** keys() cannot be trusted: probe every format. */
  static final int UNKNOWN = -1;

  /** {@code tracestate}, beside the {@link Formats#bit} of each format. */
  static final int TRACESTATE = 1 << Format.values().length;

  /**
   * The {@link Formats#bit}s of formats whose headers keys() lists (case-insensitively), plus
   * {@link #TRACESTATE}; {@link #UNKNOWN} when keys() is empty, null, throws or respells names.
   */
  static <C> int listed(C carrier, TextMapGetter<C> getter) {
    int listed = 0;
    boolean any = false;
    try {
      Iterable<String> keys = getter.keys(carrier);
      if (keys == null) return UNKNOWN;
      for (String name : keys) {
        if (name == null) continue;
        any = true;
        int bit = classify(name);
        if (bit == UNKNOWN) return UNKNOWN;
        listed |= bit;
      }
    } catch (RuntimeException e) {
      return UNKNOWN;
    }
    return any ? listed : UNKNOWN;
  }

  static boolean has(int listed, int bit) {
    return listed == UNKNOWN || (listed & bit) != 0;
  }

  /** The bit of the header {@code name}, 0 for a foreign one, {@link #UNKNOWN} if respelled. */
  static int classify(String name) {
    // instead of a set lookup: extract runs on every inbound request; length then exact name
    switch (name.length()) {
      case 2:
        if (is(name, B3SingleCodec.B3)) return Formats.bit(Format.B3);
        break;
      case 7:
        if (is(name, BaggageCodec.BAGGAGE)) return Formats.bit(Format.BAGGAGE);
        break;
      case 10:
        if (is(name, TraceContextCodec.TRACESTATE)) return TRACESTATE;
        if (is(name, B3MultiCodec.FLAGS)) return Formats.bit(Format.B3_MULTI);
        break;
      case 11:
        if (is(name, TraceContextCodec.TRACEPARENT)) return Formats.bit(Format.TRACECONTEXT);
        break; // a lone X-B3-SpanId is not read (see B3MultiCodec)
      case 12:
        if (is(name, B3MultiCodec.TRACE_ID) || is(name, B3MultiCodec.SAMPLED)) {
          return Formats.bit(Format.B3_MULTI);
        }
        if (is(name, SentryCodec.SENTRY_TRACE)) return Formats.bit(Format.SENTRY);
        if (is(name, TracewirePropagator.REQUEST_ID)) return Formats.bit(Format.REQUEST_ID);
        break;
      case 13:
        if (is(name, JaegerCodec.UBER_TRACE_ID)) return Formats.bit(Format.JAEGER);
        break;
      default:
    }
    return name.indexOf('_') >= 0 ? UNKNOWN : 0;
  }

  private static boolean is(String name, String header) {
    // equals first: HTTP/2 and most clients send lower case, and equals is an intrinsic
    return name.equals(header) || name.equalsIgnoreCase(header);
  }

  private HeaderNames() {}
}
