package dev.tracewire.benchmarks.load;

import java.util.Arrays;

/** Every recorded latency, kept exactly; percentiles by the nearest-rank method. */
final class Latencies {
  private long[] nanos = new long[1024];
  private int size;

  synchronized void record(long elapsedNanos) {
    if (size == nanos.length) nanos = Arrays.copyOf(nanos, size * 2);
    nanos[size++] = elapsedNanos;
  }

  synchronized int count() {
    return size;
  }

  synchronized void reset() {
    size = 0;
  }

  /** The {@code p}th percentile (0 < p ≤ 100) in milliseconds, or NaN with nothing recorded. */
  synchronized double percentileMillis(double p) {
    if (size == 0) return Double.NaN;
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size, rank) - 1)] / 1e6;
  }
}
