package dev.tracewire.server.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one analysis step produced: the findings now certain and the edge counts of the hops now
 * decided (per time bucket), plus how many traces and spans went in.
 *
 * <p>{@code AnalysisResult r = integrity.flush(); r.findings().forEach(store::write);}
 */
public final class AnalysisResult {
  private static final AnalysisResult EMPTY = new AnalysisResult(0, 0, List.of(), List.of());

  private final int traces;
  private final long spans;
  private final List<Finding> findings;
  private final List<EdgeStats> edges;

  private AnalysisResult(int traces, long spans, List<Finding> findings, List<EdgeStats> edges) {
    this.traces = traces;
    this.spans = spans;
    this.findings = List.copyOf(findings);
    this.edges = List.copyOf(edges);
  }

  /** A result of the given parts; the lists are copied. */
  public static AnalysisResult create(
      int traces, long spans, List<Finding> findings, List<EdgeStats> edges) {
    if (traces == 0 && spans == 0 && findings.isEmpty() && edges.isEmpty()) return EMPTY;
    return new AnalysisResult(traces, spans, findings, edges);
  }

  public static AnalysisResult empty() {
    return EMPTY;
  }

  /** Distinct trace ids closed in this step. */
  public int traces() {
    return traces;
  }

  /** Spans closed in this step. */
  public long spans() {
    return spans;
  }

  /** Findings emitted in this step, ordered by time. */
  public List<Finding> findings() {
    return findings;
  }

  /** Edge counts decided in this step, one per edge and time bucket. */
  public List<EdgeStats> edges() {
    return edges;
  }

  /** The edge counts summed over time buckets, one per edge, in first-seen order. */
  public List<EdgeStats> edgeTotals() {
    Map<Edge, EdgeStats> totals = new LinkedHashMap<>();
    for (EdgeStats s : edges) {
      EdgeStats zero = EdgeStats.create(s.edge(), 0, 0, 0, 0, Map.of());
      totals.merge(s.edge(), zero.plus(s), EdgeStats::plus);
    }
    return new ArrayList<>(totals.values());
  }

  /** This result followed by {@code next}; edge counts for the same edge and bucket are summed. */
  public AnalysisResult plus(AnalysisResult next) {
    if (next == EMPTY) return this;
    if (this == EMPTY) return next;
    List<Finding> f = new ArrayList<>(findings);
    f.addAll(next.findings);
    Map<List<Object>, EdgeStats> merged = new LinkedHashMap<>();
    for (EdgeStats s : edges) merged.put(List.of(s.edge(), s.bucketStartEpochNanos()), s);
    for (EdgeStats s : next.edges) {
      merged.merge(List.of(s.edge(), s.bucketStartEpochNanos()), s, EdgeStats::plus);
    }
    return new AnalysisResult(
        traces + next.traces, spans + next.spans, f, new ArrayList<>(merged.values()));
  }

  @Override
  public String toString() {
    return "AnalysisResult{traces="
        + traces
        + ", spans="
        + spans
        + ", findings="
        + findings.size()
        + ", edges="
        + edges.size()
        + "}";
  }
}
