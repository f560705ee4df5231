package dev.tracewire.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports {@code cpu.time.norm}: CPU time of the whole benchmark JVM (every thread, GC and JIT
 * compiler threads included) per operation, so it needs a finished warm-up. On a machine shared
 * with other builds, wall time per operation mostly measures how long the benchmark thread waited
 * for a core; CPU time per operation measures the work.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar HttpHopBenchmark \
 *   -prof gc -prof dev.tracewire.benchmarks.CpuTimeProfiler
 * }</pre>
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;

  /** Called reflectively by JMH for {@code -prof dev.tracewire.benchmarks.CpuTimeProfiler}. */
  public CpuTimeProfiler() {}

  @Override
  public String getDescription() {
    return "CPU time of the benchmark JVM (all threads, GC and JIT included) per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuAtStart = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuAtStart;
    // all ops, not only measured ones: the CPU time spans the whole iteration
    long ops = result.getMetadata().getAllOps();
    if (cpu < 0 || ops <= 0) return List.of();
    return List.of(
        new ScalarResult("cpu.time.norm", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
  }
}
