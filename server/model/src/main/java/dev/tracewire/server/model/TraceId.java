package dev.tracewire.server.model;

/**
 * A 128-bit trace id as two longs; 64-bit ids (Zipkin, Jaeger) are left-padded with zeros.
 *
 * <p>{@code TraceId id = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");}
 *
 * <p>The parse methods return {@code null} instead of throwing, because they run on every decoded
 * span.
 */
public record TraceId(long high, long low) implements Comparable<TraceId> {
  /** The all-zero id, which OTLP and W3C treat as invalid. */
  public static final TraceId INVALID = new TraceId(0, 0);

  /** Returns the id for {@code high} and {@code low}. */
  public static TraceId of(long high, long low) {
    return high == 0 && low == 0 ? INVALID : new TraceId(high, low);
  }

  /**
   * Parses 32 or 16 hex digits (either case), or returns {@code null} for any other input. The
   * all-zero id parses to {@link #INVALID}; check {@link #isValid()}.
   */
  public static TraceId fromHex(CharSequence hex) {
    if (hex == null) return null;
    int len = hex.length();
    boolean[] ok = {true};
    if (len == 32) {
      long high = Hex.parse(hex, 0, 16, ok);
      long low = Hex.parse(hex, 16, 32, ok);
      return ok[0] ? of(high, low) : null;
    }
    if (len == 16) {
      long low = Hex.parse(hex, 0, 16, ok);
      return ok[0] ? of(0, low) : null;
    }
    return null;
  }

  /** Reads 16 big-endian bytes (OTLP) or 8 (left-padded), else returns {@code null}. */
  public static TraceId fromBytes(byte[] bytes) {
    if (bytes == null) return null;
    if (bytes.length == 16) return of(Hex.longFromBytes(bytes, 0), Hex.longFromBytes(bytes, 8));
    if (bytes.length == 8) return of(0, Hex.longFromBytes(bytes, 0));
    return null;
  }

  /** False for the all-zero id. */
  public boolean isValid() {
    return high != 0 || low != 0;
  }

  /** 32 lower-hex digits. */
  public String toHex() {
    char[] out = new char[32];
    Hex.write(high, out, 0);
    Hex.write(low, out, 16);
    return new String(out);
  }

  /** 16 big-endian bytes, as OTLP carries them. */
  public byte[] toBytes() {
    byte[] b = new byte[16];
    Hex.longToBytes(high, b, 0);
    Hex.longToBytes(low, b, 8);
    return b;
  }

  @Override
  public int compareTo(TraceId o) {
    int c = Long.compareUnsigned(high, o.high);
    return c != 0 ? c : Long.compareUnsigned(low, o.low);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
