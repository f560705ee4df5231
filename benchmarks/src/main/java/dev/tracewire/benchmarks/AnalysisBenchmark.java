package dev.tracewire.benchmarks;

import dev.tracewire.server.analysis.AnalysisResult;
import dev.tracewire.server.analysis.TraceAssembler;
import dev.tracewire.server.analysis.TraceIntegrity;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.simulator.Batch;
import dev.tracewire.server.simulator.Simulator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Trace-integrity analysis throughput on simulated traffic (2,000 requests of the simulator's shop
 * at 200 req/s, every fault kind at 1% per hop): {@code integrity} runs the server's path — add
 * each export batch at its arrival time, poll every 100 ms of simulated time, flush at the end —
 * and {@code assembleOnly} only groups and closes traces, the floor any analysis pays. The {@code
 * spans} counter is spans per second. Memory per open trace is printed at tear-down: heap retained
 * (after GC) by an analysis holding every trace of a fresh run open, spans included, per trace.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar AnalysisBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnalysisBenchmark {
  static final String FAULTS =
      "context_not_injected=0.01,context_stripped=0.01,context_not_extracted=0.01,"
          + "format_mismatch=0.01,context_conflict=0.01,missing_span=0.01,sampling_split=0.01,"
          + "unpaired_exit=0.03,clock_skew=0.01";
  static final long POLL_NANOS = 100_000_000L;

  List<Batch> batches;
  int spanCount;

  /** Spans analysed, reported by JMH per second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Counters {
    public long spans;

    @Setup(Level.Iteration)
    public void reset() {
      spans = 0;
    }
  }

  @Setup
  public void setup() {
    Simulator.Run run = simulate();
    batches = run.batches();
    spanCount = run.spans().size();
  }

  static Simulator.Run simulate() {
    return Simulator.newBuilder()
        .seed(42)
        .rate(200)
        .faults(FAULTS)
        .build()
        .generate(2_000, 1_767_225_600_000_000_000L);
  }

  @Benchmark
  public int integrity(Counters counters) {
    TraceIntegrity integrity = TraceIntegrity.newBuilder().build();
    long lastPoll = Long.MIN_VALUE;
    long now = 0;
    int findings = 0;
    for (Batch b : batches) {
      now = b.arrivalEpochNanos();
      integrity.add(b.spans(), now);
      if (now - lastPoll >= POLL_NANOS) {
        findings += integrity.poll(now).findings().size();
        lastPoll = now;
      }
    }
    AnalysisResult rest = integrity.flush(now);
    counters.spans += spanCount;
    return findings + rest.findings().size();
  }

  @Benchmark
  public int assembleOnly(Counters counters) {
    TraceAssembler assembler = TraceAssembler.newBuilder().build();
    long lastPoll = Long.MIN_VALUE;
    long now = 0;
    int closed = 0;
    for (Batch b : batches) {
      now = b.arrivalEpochNanos();
      for (Span s : b.spans()) assembler.add(s, now);
      if (now - lastPoll >= POLL_NANOS) {
        closed += assembler.closeSettled(now).size();
        lastPoll = now;
      }
    }
    closed += assembler.flush(now).size();
    counters.spans += spanCount;
    return closed;
  }

  @TearDown
  public void memoryPerOpenTrace() {
    Runtime rt = Runtime.getRuntime();
    long before = usedAfterGc(rt);
    TraceIntegrity integrity = TraceIntegrity.newBuilder().build();
    // spans made here are held by the assembler alone once the run is dropped, as in the server
    for (Batch b : simulate().batches()) integrity.add(b.spans(), 0); // one instant: none settle
    long after = usedAfterGc(rt);
    int open = integrity.openTraces();
    System.out.printf(
        "%nmemory per open trace: %d bytes, spans included (%d open traces, %.1f spans each)%n",
        (after - before) / Math.max(1, open),
        open,
        (double) integrity.openSpans() / Math.max(1, open));
    if (integrity.openSpans() == 0) throw new AssertionError("nothing held"); // keeps it reachable
  }

  private static long usedAfterGc(Runtime rt) {
    for (int i = 0; i < 3; i++) System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }
}
