package dev.tracewire.server.analysis;

import dev.tracewire.server.model.Span;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The analysis entry point: a {@link TraceAssembler} feeding an {@link IntegrityAnalyzer}. The
 * server adds spans as they are stored and polls with the current time; batch imports and tests
 * flush. Not thread-safe: call from one thread (or under one lock).
 *
 * <pre>{@code
 * TraceIntegrity integrity = TraceIntegrity.newBuilder().build();
 * integrity.add(decoded.spans(), nowNanos);
 * AnalysisResult result = integrity.poll(nowNanos); // findings of traces settled by now
 *
 * AnalysisResult all = TraceIntegrity.analyze(spans); // offline: everything at once
 * }</pre>
 */
public final class TraceIntegrity {
  private final TraceAssembler assembler;
  private final IntegrityAnalyzer analyzer;

  private TraceIntegrity(TraceAssembler assembler, IntegrityAnalyzer analyzer) {
    this.assembler = assembler;
    this.analyzer = analyzer;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Analyses a finished set of spans (e.g. files), closing every trace and pairing window. */
  public static AnalysisResult analyze(Collection<Span> spans) {
    // everything is in memory already: no trace needs to close early to save it
    TraceIntegrity integrity =
        newBuilder().maxOpenSpans(Math.max(1_000_000L, spans.size())).build();
    integrity.add(spans, 0);
    return integrity.flush(0);
  }

  /** Adds spans that arrived at {@code nowEpochNanos} (non-decreasing across calls). */
  public void add(Collection<Span> spans, long nowEpochNanos) {
    for (Span s : spans) assembler.add(s, nowEpochNanos);
  }

  /** Closes traces settled by {@code nowEpochNanos} and analyses them. */
  public AnalysisResult poll(long nowEpochNanos) {
    List<AssembledTrace> closed = assembler.closeSettled(nowEpochNanos);
    return analyzer.analyze(closed, nowEpochNanos);
  }

  /** Closes every open trace now and decides every pending hop: the forced flush. */
  public AnalysisResult flush(long nowEpochNanos) {
    AnalysisResult closed = analyzer.analyze(assembler.flush(nowEpochNanos), nowEpochNanos);
    return closed.plus(analyzer.flush());
  }

  /** Traces open (not yet settled) now. */
  public int openTraces() {
    return assembler.openTraces();
  }

  /** Spans held in open traces now. */
  public long openSpans() {
    return assembler.openSpans();
  }

  /** Hop sides waiting for their counterpart in another trace. */
  public int pendingHops() {
    return analyzer.pending();
  }

  /** Configures a {@link TraceIntegrity}; defaults suit a server. */
  public static final class Builder {
    private final TraceAssembler.Builder assembler = TraceAssembler.newBuilder();
    private final IntegrityAnalyzer.Builder analyzer = IntegrityAnalyzer.newBuilder();

    Builder() {}

    /** See {@link TraceAssembler.Builder#requestResponseSettle(Duration)}. */
    public Builder requestResponseSettle(Duration settle) {
      assembler.requestResponseSettle(settle);
      return this;
    }

    /** See {@link TraceAssembler.Builder#messagingSettle(Duration)}. */
    public Builder messagingSettle(Duration settle) {
      assembler.messagingSettle(settle);
      return this;
    }

    /** See {@link TraceAssembler.Builder#maxOpenSpans(long)}. */
    public Builder maxOpenSpans(long maxOpenSpans) {
      assembler.maxOpenSpans(maxOpenSpans);
      return this;
    }

    /** See {@link IntegrityAnalyzer.Builder#pairingWindow(Duration)}. */
    public Builder pairingWindow(Duration window) {
      analyzer.pairingWindow(window);
      return this;
    }

    /** See {@link IntegrityAnalyzer.Builder#clockSkewTolerance(Duration)}. */
    public Builder clockSkewTolerance(Duration tolerance) {
      analyzer.clockSkewTolerance(tolerance);
      return this;
    }

    /** See {@link IntegrityAnalyzer.Builder#heuristicSkew(Duration)}. */
    public Builder heuristicSkew(Duration skew) {
      analyzer.heuristicSkew(skew);
      return this;
    }

    /** See {@link IntegrityAnalyzer.Builder#bucket(Duration)}. */
    public Builder bucket(Duration bucket) {
      analyzer.bucket(bucket);
      return this;
    }

    public TraceIntegrity build() {
      return new TraceIntegrity(assembler.build(), analyzer.build());
    }
  }
}
