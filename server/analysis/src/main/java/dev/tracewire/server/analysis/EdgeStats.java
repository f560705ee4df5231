package dev.tracewire.server.analysis;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Intact and broken hop counts on one {@link Edge} in one time bucket, plus finding counts by kind
 * (informational kinds included). {@code ratio()} is the edge's integrity.
 *
 * <p>{@code double integrity = stats.ratio(); // intact / (intact + broken)}
 */
public final class EdgeStats {
  private final Edge edge;
  private final long bucketStartEpochNanos;
  private final long bucketNanos;
  private final long intact;
  private final long broken;
  private final Map<FindingKind, Long> byKind;

  private EdgeStats(
      Edge edge,
      long bucketStartEpochNanos,
      long bucketNanos,
      long intact,
      long broken,
      Map<FindingKind, Long> byKind) {
    this.edge = Objects.requireNonNull(edge, "edge");
    this.bucketStartEpochNanos = bucketStartEpochNanos;
    this.bucketNanos = bucketNanos;
    this.intact = intact;
    this.broken = broken;
    EnumMap<FindingKind, Long> copy = new EnumMap<>(FindingKind.class);
    copy.putAll(byKind);
    this.byKind = Collections.unmodifiableMap(copy);
  }

  /** Counts for one edge and bucket; {@code byKind} is copied. */
  public static EdgeStats create(
      Edge edge,
      long bucketStartEpochNanos,
      long bucketNanos,
      long intact,
      long broken,
      Map<FindingKind, Long> byKind) {
    return new EdgeStats(edge, bucketStartEpochNanos, bucketNanos, intact, broken, byKind);
  }

  public Edge edge() {
    return edge;
  }

  /** Start of the time bucket, epoch nanoseconds (a multiple of {@link #bucketNanos()}). */
  public long bucketStartEpochNanos() {
    return bucketStartEpochNanos;
  }

  /** Width of the time bucket in nanoseconds; 0 when counts are totals over all time. */
  public long bucketNanos() {
    return bucketNanos;
  }

  /** Hops whose entry span's parent or link is the exit span. */
  public long intact() {
    return intact;
  }

  /** Hops with a finding whose {@link FindingKind#isBreak()} is true. */
  public long broken() {
    return broken;
  }

  /** Findings on this edge by kind; kinds without findings are absent. */
  public Map<FindingKind, Long> byKind() {
    return byKind;
  }

  /** {@code intact / (intact + broken)}, or 1 when the edge saw no hops. */
  public double ratio() {
    long total = intact + broken;
    return total == 0 ? 1.0 : (double) intact / total;
  }

  /** Adds {@code other}'s counts (same edge) to these, keeping this bucket. */
  public EdgeStats plus(EdgeStats other) {
    EnumMap<FindingKind, Long> sum = new EnumMap<>(FindingKind.class);
    sum.putAll(byKind);
    other.byKind.forEach((k, v) -> sum.merge(k, v, Long::sum));
    return new EdgeStats(
        edge,
        bucketStartEpochNanos,
        bucketNanos,
        intact + other.intact,
        broken + other.broken,
        sum);
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) return true;
    if (!(o instanceof EdgeStats)) return false;
    EdgeStats s = (EdgeStats) o;
    return bucketStartEpochNanos == s.bucketStartEpochNanos
        && bucketNanos == s.bucketNanos
        && intact == s.intact
        && broken == s.broken
        && edge.equals(s.edge)
        && byKind.equals(s.byKind);
  }

  @Override
  public int hashCode() {
    return Objects.hash(edge, bucketStartEpochNanos, intact, broken);
  }

  @Override
  public String toString() {
    return "EdgeStats{"
        + edge
        + ", bucket="
        + bucketStartEpochNanos
        + ", intact="
        + intact
        + ", broken="
        + broken
        + ", byKind="
        + byKind
        + "}";
  }
}
