package dev.tracewire.server.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AccuracyTest {
  static final String FAULTS =
      "context_not_injected=0.01,context_stripped=0.01,context_not_extracted=0.01,"
          + "format_mismatch=0.01,context_conflict=0.01,missing_span=0.01,sampling_split=0.01,"
          + "unpaired_exit=0.03,clock_skew=0.01";

  @Test
  void analysis_at200RequestsPerSecond_meetsTheIssueThresholds() throws Exception {
    Simulator sim = Simulator.newBuilder().seed(42).rate(200).faults(FAULTS).build();
    Simulator.Run run = sim.generate(4000, 1_767_225_600_000_000_000L);
    Accuracy a = Accuracy.measure(run);
    String table = a.table();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/accuracy.md"), table);
    System.out.println(table);
    a.missByHop.forEach((k, v) -> System.out.println("MISSED " + v + " " + k));
    a.falseByHop.forEach((k, v) -> System.out.println("FALSE " + v + " " + k));

    assertThat(a.intactHops).isGreaterThan(10_000);
    a.exact.forEach(
        (kind, s) -> {
          assertThat(s.recall()).as("recall, exact evidence, " + kind).isGreaterThanOrEqualTo(0.99);
          assertThat(s.precision()).as("precision, exact, " + kind).isGreaterThanOrEqualTo(0.99);
        });
    a.heuristic.forEach(
        (kind, s) -> {
          assertThat(s.recall()).as("recall, heuristic, " + kind).isGreaterThanOrEqualTo(0.95);
          assertThat(s.precision())
              .as("precision, heuristic, " + kind)
              .isGreaterThanOrEqualTo(0.95);
        });
    assertThat((double) a.falseOnIntact / a.intactHops).isLessThanOrEqualTo(0.001);
  }
}
