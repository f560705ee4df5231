package dev.tracewire.server.model;

/** Lower-hex encoding of ids, one pass and no exceptions on bad input. */
final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  static void write(long v, char[] out, int pos) {
    for (int i = 15; i >= 0; i--) {
      out[pos + i] = DIGITS[(int) (v & 0xf)];
      v >>>= 4;
    }
  }

  static String toHex(long v) {
    char[] out = new char[16];
    write(v, out, 0);
    return new String(out);
  }

  /** Returns the digit value, or -1 when {@code c} is not a hex digit (either case). */
  static int digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  /**
   * Parses up to 16 hex digits in {@code [begin, end)}; {@code valid[0]} is cleared on a non-hex
   * char.
   */
  static long parse(CharSequence s, int begin, int end, boolean[] valid) {
    long v = 0;
    for (int i = begin; i < end; i++) {
      int d = digit(s.charAt(i));
      if (d < 0) {
        valid[0] = false;
        return 0;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  static long longFromBytes(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
    return v;
  }

  static void longToBytes(long v, byte[] b, int off) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  private Hex() {}
}
