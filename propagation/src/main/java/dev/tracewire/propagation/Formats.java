package dev.tracewire.propagation;

import io.opentelemetry.api.trace.SpanContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sets of {@link Format}s as bit masks, with every list view precomputed so that diagnostics and
 * inject hand out shared, immutable lists instead of building one per request.
 */
final class Formats {
  static final int ALL = (1 << Format.values().length) - 1;

  static final int TRACE_FORMATS =
      bit(Format.TRACECONTEXT)
          | bit(Format.B3)
          | bit(Format.B3_MULTI)
          | bit(Format.JAEGER)
          | bit(Format.SENTRY);

  private static final List<List<String>> IDS = new ArrayList<>(ALL + 1);
  private static final List<List<Format>> FORMATS = new ArrayList<>(ALL + 1);

  static {
    Format[] values = Format.values();
    for (int mask = 0; mask <= ALL; mask++) {
      List<String> ids = new ArrayList<>();
      List<Format> formats = new ArrayList<>();
      for (Format f : values) {
        if ((mask & bit(f)) != 0) {
          ids.add(f.id());
          formats.add(f);
        }
      }
      IDS.add(Collections.unmodifiableList(ids));
      FORMATS.add(Collections.unmodifiableList(formats));
    }
  }

  static int bit(Format format) {
    return 1 << format.ordinal();
  }

  static int mask(Format... formats) {
    int mask = 0;
    for (Format f : formats) mask |= bit(f);
    return mask;
  }

  /** The {@link Format#id()}s in {@code mask}, in declaration order; shared and immutable. */
  static List<String> ids(int mask) {
    return IDS.get(mask & ALL);
  }

  /** The formats in {@code mask}, in declaration order; shared and immutable. */
  static List<Format> formats(int mask) {
    return FORMATS.get(mask & ALL);
  }

  static FormatReading invalid(Format format, String reason) {
    return new FormatReading(format, false, reason, SpanContext.getInvalid(), null, false);
  }

  static FormatReading valid(
      Format format, SpanContext spanContext, Boolean sampled, boolean debug) {
    return new FormatReading(format, true, null, spanContext, sampled, debug);
  }

  /** Index of the first non-OWS (SP / HTAB) character at or after {@code begin}. */
  static int trimStart(CharSequence s, int begin, int end) {
    while (begin < end && isOws(s.charAt(begin))) begin++;
    return begin;
  }

  /** Index after the last non-OWS character before {@code end}. */
  static int trimEnd(CharSequence s, int begin, int end) {
    while (end > begin && isOws(s.charAt(end - 1))) end--;
    return end;
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  private Formats() {}
}
