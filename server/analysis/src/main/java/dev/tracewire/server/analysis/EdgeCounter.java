package dev.tracewire.server.analysis;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Accumulates per-edge, per-bucket counts during one analysis step. */
final class EdgeCounter {
  private final long bucketNanos;
  private final Map<List<Object>, Counts> counts = new LinkedHashMap<>();

  EdgeCounter(long bucketNanos) {
    this.bucketNanos = bucketNanos;
  }

  void intact(Edge edge, long time) {
    counts(edge, time).intact++;
  }

  void broken(Edge edge, long time) {
    counts(edge, time).broken++;
  }

  void finding(Edge edge, long time, FindingKind kind) {
    counts(edge, time).byKind.merge(kind, 1L, Long::sum);
  }

  List<EdgeStats> drain() {
    List<EdgeStats> out = new ArrayList<>(counts.size());
    for (Counts c : counts.values()) {
      out.add(EdgeStats.create(c.edge, c.bucket, bucketNanos, c.intact, c.broken, c.byKind));
    }
    counts.clear();
    return out;
  }

  private Counts counts(Edge edge, long time) {
    long bucket = Math.floorDiv(time, bucketNanos) * bucketNanos;
    return counts.computeIfAbsent(List.of(edge, bucket), k -> new Counts(edge, bucket));
  }

  private static final class Counts {
    final Edge edge;
    final long bucket;
    long intact;
    long broken;
    final Map<FindingKind, Long> byKind = new EnumMap<>(FindingKind.class);

    Counts(Edge edge, long bucket) {
      this.edge = edge;
      this.bucket = bucket;
    }
  }
}
