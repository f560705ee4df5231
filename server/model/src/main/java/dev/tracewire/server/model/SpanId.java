package dev.tracewire.server.model;

/**
 * Helpers for 64-bit span ids, carried as a {@code long} where {@code 0} means "none" (no parent)
 * or invalid.
 *
 * <p>{@code long id = SpanId.fromHex("00f067aa0ba902b7");}
 */
public final class SpanId {
  /** The value of an absent or invalid span id. */
  public static final long NONE = 0L;

  /** Parses 16 hex digits (either case), or returns {@link #NONE} for any other input. */
  public static long fromHex(CharSequence hex) {
    if (hex == null || hex.length() != 16) return NONE;
    boolean[] ok = {true};
    long v = Hex.parse(hex, 0, 16, ok);
    return ok[0] ? v : NONE;
  }

  /** Reads 8 big-endian bytes, or returns {@link #NONE} for any other length. */
  public static long fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 8) return NONE;
    return Hex.longFromBytes(bytes, 0);
  }

  /** 16 lower-hex digits. */
  public static String toHex(long spanId) {
    return Hex.toHex(spanId);
  }

  /** 8 big-endian bytes, as OTLP carries them. */
  public static byte[] toBytes(long spanId) {
    byte[] b = new byte[8];
    Hex.longToBytes(spanId, b, 0);
    return b;
  }

  private SpanId() {}
}
