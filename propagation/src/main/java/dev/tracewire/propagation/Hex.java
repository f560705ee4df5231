package dev.tracewire.propagation;

/** Hex decoding straight into longs, over (CharSequence, begin, end), without allocation. */
final class Hex {
  /** Lower-case only, as W3C, B3 and Sentry require. */
  static final byte[] LOWER = table(false);

  /** Either case, as Jaeger clients accept. */
  static final byte[] ANY_CASE = table(true);

  private static final String ZEROS_16 = "0000000000000000";

  /**
   * Decodes up to 8 hex characters in {@code [begin, end)}; returns -1 when one is not hex or the
   * range is longer than 8. An empty range decodes to 0.
   */
  static long upTo8(CharSequence s, int begin, int end, byte[] table) {
    if (end - begin > 8) return -1;
    long result = 0;
    for (int i = begin; i < end; i++) {
      char c = s.charAt(i);
      // negative when c is outside the table or not a hex digit
      int d = c < 128 ? table[c] : -1;
      if (d < 0) return -1;
      result = (result << 4) | d;
    }
    return result;
  }

  /**
   * Decodes 1 to 16 hex characters in {@code [begin, end)} into the low bits of a long; returns
   * {@code invalid} when a character is not hex or the length is out of range. Callers pass an
   * {@code invalid} value that cannot be a valid result for them (0 for ids).
   */
  static long upTo16(CharSequence s, int begin, int end, byte[] table, long invalid) {
    int length = end - begin;
    if (length < 1 || length > 16) return invalid;
    int split = Math.max(begin, end - 8);
    long high = upTo8(s, begin, split, table);
    long low = upTo8(s, split, end, table);
    if ((high | low) < 0) return invalid;
    return (high << 32) | low;
  }

  /**
   * Copies a lower-hex trace id of 32 characters, or of 16 left-padded to 32, without checking it:
   * {@code SpanContext.create} validates ids exactly as W3C, B3 and Sentry define them (lower hex,
   * not all zeros), so checking here too would scan every id twice. Callers then test {@code
   * isValid()} and find the reason with {@link #traceId} only on that rare path.
   */
  static String copyTraceId(CharSequence s, int begin, int end) {
    String id = s.subSequence(begin, end).toString();
    return end - begin == 16 ? ZEROS_16.concat(id) : id;
  }

  /** Copies a 16-character span id without checking it; see {@link #copyTraceId}. */
  static String copySpanId(CharSequence s, int begin, int end) {
    return s.subSequence(begin, end).toString();
  }

  /**
   * Returns the 128-bit trace id in {@code [begin, end)} (1 to 32 hex characters, shorter ones
   * left-padded with zeros) as 32 lower-hex characters, or {@code null} when it is not hex, too
   * long or all zeros.
   */
  static String traceId(CharSequence s, int begin, int end, byte[] table) {
    int length = end - begin;
    if (length < 1 || length > 32) return null;
    int lowBegin = Math.max(begin, end - 16);
    int lowSplit = Math.max(lowBegin, end - 8);
    int highSplit = Math.max(begin, lowBegin - 8);
    long h1 = upTo8(s, begin, highSplit, table);
    long h2 = upTo8(s, highSplit, lowBegin, table);
    long l1 = upTo8(s, lowBegin, lowSplit, table);
    long l2 = upTo8(s, lowSplit, end, table);
    if ((h1 | h2 | l1 | l2) < 0) return null;
    long high = (h1 << 32) | h2;
    long low = (l1 << 32) | l2;
    if ((high | low) == 0) return null;
    return io.opentelemetry.api.trace.TraceId.fromLongs(high, low);
  }

  /**
   * Returns the span id in {@code [begin, end)} (1 to 16 hex characters, left-padded) as 16
   * lower-hex characters, or {@code null} when it is not hex, too long or all zeros.
   */
  static String spanId(CharSequence s, int begin, int end, byte[] table) {
    long id = upTo16(s, begin, end, table, 0L);
    return id == 0 ? null : io.opentelemetry.api.trace.SpanId.fromLong(id);
  }

  /**
   * Whether {@code [begin, end)} is non-empty and only '0'; used to word a reason, off the hot
   * path.
   */
  static boolean allZeros(CharSequence s, int begin, int end) {
    if (begin >= end) return false;
    for (int i = begin; i < end; i++) {
      if (s.charAt(i) != '0') return false;
    }
    return true;
  }

  /** Whether the low 64 bits of two 32-hex trace ids are equal. */
  static boolean sameLow64(String traceId1, String traceId2) {
    return traceId1.regionMatches(16, traceId2, 16, 16);
  }

  /** Whether a 32-hex trace id came from a 64-bit one: its high 64 bits are zero. */
  static boolean is64Bit(String traceId) {
    return traceId.startsWith("0000000000000000");
  }

  private static byte[] table(boolean anyCase) {
    byte[] table = new byte[128];
    java.util.Arrays.fill(table, (byte) -1);
    for (int i = 0; i < 10; i++) table['0' + i] = (byte) i;
    for (int i = 0; i < 6; i++) {
      table['a' + i] = (byte) (10 + i);
      if (anyCase) table['A' + i] = (byte) (10 + i);
    }
    return table;
  }

  private Hex() {}
}
