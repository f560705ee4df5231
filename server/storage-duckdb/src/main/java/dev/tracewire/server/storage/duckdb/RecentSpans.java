package dev.tracewire.server.storage.duckdb;

/**
 * A fixed-size, direct-mapped cache of recently committed (traceId, spanId) keys. It lets the
 * writer skip exporter retries without an on-disk unique index (which would cost more bytes per
 * span than the span itself). A key evicted by a collision is simply written again; reads
 * de-duplicate, so the cache only saves space and never decides correctness. Not thread-safe: the
 * writer lock guards it.
 */
final class RecentSpans {
  private final long[] traceHigh;
  private final long[] traceLow;
  private final long[] spanIds;
  private final int mask;

  RecentSpans(int capacityPowerOfTwo) {
    int size = 1 << capacityPowerOfTwo;
    traceHigh = new long[size];
    traceLow = new long[size];
    spanIds = new long[size];
    mask = size - 1;
  }

  boolean contains(long high, long low, long spanId) {
    int i = slot(high, low, spanId);
    return spanIds[i] == spanId && traceLow[i] == low && traceHigh[i] == high && spanId != 0;
  }

  void add(long high, long low, long spanId) {
    int i = slot(high, low, spanId);
    traceHigh[i] = high;
    traceLow[i] = low;
    spanIds[i] = spanId;
  }

  private int slot(long high, long low, long spanId) {
    long h = high * 0x9E3779B97F4A7C15L ^ low * 0xC2B2AE3D27D4EB4FL ^ spanId * 0x165667B19E3779F9L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
