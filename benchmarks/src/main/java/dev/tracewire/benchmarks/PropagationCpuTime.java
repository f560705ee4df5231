package dev.tracewire.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Map;

/**
 * The issue 2 extract targets measured as CPU time of the measuring thread, the two sides
 * alternating in rounds, with exact bytes per operation. On a shared, busy machine JMH's wall time
 * mostly measures waiting for a core; this thread's CPU time does not. Like a JMH fork, one JVM
 * runs one comparison, so the JIT sees only that case.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.tracewire.benchmarks.PropagationCpuTime one
 * java -cp benchmarks/target/benchmarks.jar dev.tracewire.benchmarks.PropagationCpuTime four
 * }</pre>
 */
public final class PropagationCpuTime {
  static final int OPS_PER_ROUND = 200_000;
  static final int WARMUP_ROUNDS = 10;
  static final int ROUNDS = 9;

  static final TextMapGetter<Map<String, String>> GETTER = PropagationBenchmarks.GETTER;

  static volatile Object sink;

  /** {@code one}: universal vs W3C, traceparent only; {@code four}: universal vs composite. */
  public static void main(String[] args) {
    PropagationBenchmarks b = new PropagationBenchmarks();
    boolean four = args.length > 0 && args[0].equals("four");
    TextMapPropagator ours = b.universal;
    TextMapPropagator theirs = four ? b.otelComposite : b.otelTracecontext;
    Map<String, String> carrier = four ? b.fourFormats : b.traceparentOnly;
    PropagationBenchmarks.requireParent("universal", ours.extract(Context.root(), carrier, GETTER));
    PropagationBenchmarks.requireParent("peer", theirs.extract(Context.root(), carrier, GETTER));

    for (int i = 0; i < WARMUP_ROUNDS; i++) {
      cpuNanos(ours, carrier);
      cpuNanos(theirs, carrier);
    }
    double[] oursNs = new double[ROUNDS];
    double[] theirsNs = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      oursNs[i] = cpuNanos(ours, carrier) / (double) OPS_PER_ROUND;
      theirsNs[i] = cpuNanos(theirs, carrier) / (double) OPS_PER_ROUND;
    }
    Arrays.sort(oursNs);
    Arrays.sort(theirsNs);
    String peer = four ? "OpenTelemetry composite" : "OpenTelemetry W3C";
    System.out.printf(
        "%s: universal %.1f ns/op CPU (min %.1f), %.1f B/op; %s %.1f ns/op CPU (min %.1f), %.1f B/op;"
            + " ratio median %.2f, min %.2f%n",
        four ? "four formats" : "traceparent only",
        oursNs[ROUNDS / 2],
        oursNs[0],
        bytesPerOp(ours, carrier),
        peer,
        theirsNs[ROUNDS / 2],
        theirsNs[0],
        bytesPerOp(theirs, carrier),
        oursNs[ROUNDS / 2] / theirsNs[ROUNDS / 2],
        oursNs[0] / theirsNs[0]);
  }

  static long cpuNanos(TextMapPropagator propagator, Map<String, String> carrier) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    Object last = null;
    for (int i = 0; i < OPS_PER_ROUND; i++) {
      last = propagator.extract(Context.root(), carrier, GETTER);
    }
    long cpu = threads.getCurrentThreadCpuTime() - start;
    sink = Span.fromContext((Context) last);
    return cpu;
  }

  static double bytesPerOp(TextMapPropagator propagator, Map<String, String> carrier) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long start = threads.getThreadAllocatedBytes(id);
    cpuNanos(propagator, carrier);
    return (threads.getThreadAllocatedBytes(id) - start) / (double) OPS_PER_ROUND;
  }

  private PropagationCpuTime() {}
}
