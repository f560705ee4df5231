package dev.tracewire.server.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.analysis.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The accuracy bar, measured: the real analysis over 4,000 simulated requests at 200 req/s
 * with every fault kind injected, scored against the simulator's ground truth. Figures go to
 * target/accuracy.md (BENCHMARKS.md quotes them).
 */
class AccuracyTest {
  static final String FAULTS =
      "context_not_injected=0.01,context_stripped=0.01,context_not_extracted=0.01,"
          + "format_mismatch=0.01,context_conflict=0.01,missing_span=0.01,sampling_split=0.01,"
          + "unpaired_exit=0.03,clock_skew=0.01";

  static Simulator.Run run;
  static List<Finding> findings;

  @BeforeAll
  static void analyse() throws Exception {
    // -Daccuracy.seed / -Daccuracy.faults re-run the bar on other traffic
    run =
        Simulator.newBuilder()
            .seed(Long.getLong("accuracy.seed", 42))
            .rate(200)
            .faults(System.getProperty("accuracy.faults", FAULTS))
            .build()
            .generate(4000, 1_767_225_600_000_000_000L);
    findings = Accuracy.analyse(run);
    Accuracy all = Accuracy.score(run.truth(), findings, run.spans().size());
    Accuracy knowable = Accuracy.scoreKnowable(run.truth(), findings, run.spans().size());
    String report =
        "### Every injected fault\n\n"
            + all.table()
            + "\n### Faults whose kind the spans can show (diagnostics on the deciding side)\n\n"
            + knowable.table();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/accuracy.md"), report);
    System.out.println(report);
    all.missByHop.forEach((k, v) -> System.out.println("MISSED " + v + " " + k));
    all.falseByHop.forEach((k, v) -> System.out.println("FALSE " + v + " " + k));
  }

  @Test
  void intactHops_fewerThanOneInAThousandGetABreakFinding() {
    Accuracy all = Accuracy.score(run.truth(), findings, run.spans().size());

    assertThat(all.intactHops).isGreaterThan(10_000);
    assertThat((double) all.falseOnIntact / all.intactHops).isLessThanOrEqualTo(0.001);
  }

  @Test
  void knowableKinds_exactEvidence99_heuristic95_precisionAndRecall() {
    Accuracy a = Accuracy.scoreKnowable(run.truth(), findings, run.spans().size());

    assertThat(a.exact.keySet()).contains("missing_span", "context_conflict", "clock_skew");
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
  }
}
