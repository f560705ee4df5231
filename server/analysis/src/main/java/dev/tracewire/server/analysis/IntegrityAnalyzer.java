package dev.tracewire.server.analysis;

import java.time.Duration;
import java.util.List;

/**
 * Runs the integrity detectors over closed traces. Hops broken across two traces are paired here: a
 * side without its counterpart waits up to the pairing window (measured on the times passed in) for
 * the other trace to close, then is reported with what is known. Pure: no I/O, no clock. Not
 * thread-safe.
 *
 * <pre>{@code
 * IntegrityAnalyzer analyzer = IntegrityAnalyzer.newBuilder().build();
 * AnalysisResult now = analyzer.analyze(assembler.closeSettled(nowNanos), nowNanos);
 * AnalysisResult rest = analyzer.flush();
 * }</pre>
 */
public final class IntegrityAnalyzer {
  final long pairingWindowNanos;
  final long clockSkewToleranceNanos;
  final long heuristicSkewNanos;
  final long bucketNanos;
  final int maxPending;
  private final Pairer pairer;

  private IntegrityAnalyzer(Builder b) {
    pairingWindowNanos = b.pairingWindow.toNanos();
    clockSkewToleranceNanos = b.clockSkewTolerance.toNanos();
    heuristicSkewNanos = b.heuristicSkew.toNanos();
    bucketNanos = b.bucket.toNanos();
    maxPending = b.maxPending;
    pairer = new Pairer(this);
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Analyses traces closed at {@code nowEpochNanos}: returns findings and edge counts decided now,
   * including sides of broken hops whose pairing window ended.
   */
  public AnalysisResult analyze(List<AssembledTrace> closed, long nowEpochNanos) {
    return pairer.analyze(closed, nowEpochNanos, false);
  }

  /** Decides every side still waiting for its counterpart, as if its pairing window ended. */
  public AnalysisResult flush() {
    return pairer.analyze(List.of(), Long.MAX_VALUE, true);
  }

  /** Sides of hops waiting for a counterpart now. */
  public int pending() {
    return pairer.pending();
  }

  /** Configures an {@link IntegrityAnalyzer}; not thread-safe. */
  public static final class Builder {
    private Duration pairingWindow = Duration.ofSeconds(60);
    private Duration clockSkewTolerance = Duration.ofMillis(1);
    private Duration heuristicSkew = Duration.ofMillis(500);
    private Duration bucket = Duration.ofMinutes(1);
    private int maxPending = 200_000;

    Builder() {}

    /**
     * How long (after its trace closed) one side of a broken hop waits for the other trace to close
     * (default 60s). Should exceed the difference between settle windows.
     */
    public Builder pairingWindow(Duration window) {
      this.pairingWindow = TraceAssembler.Builder.positive(window, "pairingWindow");
      return this;
    }

    /**
     * A child may start before or end after its parent by this much across processes before it is
     * reported as {@code clock_skew} (default 1ms).
     */
    public Builder clockSkewTolerance(Duration tolerance) {
      if (tolerance == null || tolerance.isNegative()) {
        throw new IllegalArgumentException(
            "clockSkewTolerance: " + tolerance + " (expected: >= 0)");
      }
      this.clockSkewTolerance = tolerance;
      return this;
    }

    /**
     * How far apart two hosts' clocks may be when pairing by timing alone (default 500ms): an entry
     * may start this much before its exit or end this much after it.
     */
    public Builder heuristicSkew(Duration skew) {
      if (skew == null || skew.isNegative()) {
        throw new IllegalArgumentException("heuristicSkew: " + skew + " (expected: >= 0)");
      }
      this.heuristicSkew = skew;
      return this;
    }

    /** Width of the time buckets of edge counts (default 1 minute). */
    public Builder bucket(Duration bucket) {
      this.bucket = TraceAssembler.Builder.positive(bucket, "bucket");
      return this;
    }

    /** Sides held waiting for a counterpart before the oldest are decided early (200,000). */
    public Builder maxPending(int maxPending) {
      if (maxPending <= 0) {
        throw new IllegalArgumentException("maxPending: " + maxPending + " (expected: > 0)");
      }
      this.maxPending = maxPending;
      return this;
    }

    public IntegrityAnalyzer build() {
      return new IntegrityAnalyzer(this);
    }
  }
}
