package dev.tracewire.server.storage.duckdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the start-time windows where a trace's spans may be, so a lookup by id scans only those
 * windows (DuckDB skips the other row groups by their min/max start). Spans are grouped into chunks
 * in arrival order; each chunk keeps its start-time range and a Bloom filter of its trace ids. This
 * replaces an on-disk index, which would cost more bytes per span than the span's own columns.
 * Rebuilt from the table on open; thread-safe.
 */
final class TraceLocator {
  static final int CHUNK_SPANS = 1 << 16;
  private static final int HASHES = 8; // 16 bits an entry: ~0.06% false positives when full

  private final List<Chunk> chunks = new ArrayList<>();
  private final int chunkSpans;
  private final int bitsLog2;

  /**
   * {@code chunkSpans} entries per chunk, each chunk with 16 filter bits per entry (2 bytes; about
   * 0.06% false positives when full). Smaller chunks give narrower windows for the same memory.
   */
  TraceLocator(int chunkSpans) {
    this.chunkSpans = chunkSpans;
    this.bitsLog2 = Math.max(10, 32 - Integer.numberOfLeadingZeros(chunkSpans - 1) + 4);
  }

  /** A span to locate, with its filter hashes computed where that costs no lock. */
  interface Entry {
    long hash1();

    long hash2();

    long startNanos();
  }

  static long hash1(long traceHigh, long traceLow) {
    return mix(traceHigh, traceLow);
  }

  static long hash2(long traceHigh, long traceLow) {
    return mix(traceLow, traceHigh) | 1;
  }

  synchronized void add(long traceHigh, long traceLow, long startNanos) {
    chunkWithRoom().add(hash1(traceHigh, traceLow), hash2(traceHigh, traceLow), startNanos);
  }

  synchronized void addAll(List<? extends Entry> entries) {
    for (Entry e : entries) chunkWithRoom().add(e.hash1(), e.hash2(), e.startNanos());
  }

  private Chunk chunkWithRoom() {
    Chunk c = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
    if (c == null || c.count >= chunkSpans) {
      c = new Chunk(bitsLog2);
      chunks.add(c);
    }
    return c;
  }

  /** Merged, sorted {@code [min, max]} start windows of chunks that may hold the trace. */
  synchronized List<long[]> windows(long traceHigh, long traceLow) {
    List<long[]> hits = new ArrayList<>();
    for (Chunk c : chunks) {
      if (c.mightContain(traceHigh, traceLow)) hits.add(new long[] {c.min, c.max});
    }
    return merge(hits);
  }

  /** Sorts windows and merges overlapping ones. */
  static List<long[]> merge(List<long[]> windows) {
    List<long[]> sorted = new ArrayList<>(windows);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] w : sorted) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
      else merged.add(w.clone());
    }
    return merged;
  }

  /** Forgets chunks whose every span started before {@code cutoffNanos}. */
  synchronized void deleteBefore(long cutoffNanos) {
    chunks.removeIf(c -> c.max < cutoffNanos);
  }

  /**
   * The earliest start among the newest chunks that together hold at least {@code spans} spans (or
   * all), so a search can begin with a slice sized by ingest rate rather than by a fixed time.
   */
  synchronized long startOfNewest(int spans) {
    long min = Long.MAX_VALUE;
    int seen = 0;
    for (int i = chunks.size() - 1; i >= 0 && seen < spans; i--) {
      min = Math.min(min, chunks.get(i).min);
      seen += chunks.get(i).count;
    }
    return min;
  }

  /** The latest span start seen, or {@link Long#MIN_VALUE} when empty. */
  synchronized long maxStart() {
    long max = Long.MIN_VALUE;
    for (Chunk c : chunks) max = Math.max(max, c.max);
    return max;
  }

  private static final class Chunk {
    final int bitsLog2;
    final long[] bits;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    int count;

    Chunk(int bitsLog2) {
      this.bitsLog2 = bitsLog2;
      this.bits = new long[1 << (bitsLog2 - 6)];
    }

    void add(long h1, long h2, long start) {
      for (int i = 0; i < HASHES; i++) {
        int bit = (int) ((h1 + i * h2) >>> (64 - bitsLog2));
        bits[bit >>> 6] |= 1L << bit;
      }
      min = Math.min(min, start);
      max = Math.max(max, start);
      count++;
    }

    boolean mightContain(long high, long low) {
      long h1 = hash1(high, low);
      long h2 = hash2(high, low);
      for (int i = 0; i < HASHES; i++) {
        int bit = (int) ((h1 + i * h2) >>> (64 - bitsLog2));
        if ((bits[bit >>> 6] & (1L << bit)) == 0) return false;
      }
      return true;
    }
  }

  private static long mix(long a, long b) {
    long h = a * 0x9E3779B97F4A7C15L + b;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
