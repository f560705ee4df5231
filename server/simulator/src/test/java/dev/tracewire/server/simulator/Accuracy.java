package dev.tracewire.server.simulator;

import dev.tracewire.server.analysis.AnalysisResult;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.Pairing;
import dev.tracewire.server.analysis.TraceIntegrity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the real analysis over a simulated run, fed by arrival time, and scores it against truth.
 */
final class Accuracy {
  /** Counts for one finding kind and one evidence class. */
  static final class Score {
    int truths;
    int found;
    int findings;
    int correct;
    int blameAgrees;

    /** Faults whose hop got some break finding with a blame naming the truth's party. */
    int hopFlagged;

    double recall() {
      return truths == 0 ? 1 : (double) found / truths;
    }

    double precision() {
      return findings == 0 ? 1 : (double) correct / findings;
    }
  }

  final Map<String, Score> exact = new TreeMap<>();
  final Map<String, Score> heuristic = new TreeMap<>();
  final List<String> misses = new ArrayList<>();
  final List<String> falseFindings = new ArrayList<>();
  final Map<String, Integer> falseByHop = new TreeMap<>();
  final Map<String, Integer> missByHop = new TreeMap<>();

  /** "kind / diagnostics: side" -> {injected, found}. */
  final Map<String, int[]> byDiagnostics = new TreeMap<>();

  int intactHops;
  int falseOnIntact;
  int findingsTotal;
  long spans;

  /** The analysis' findings, fed by export arrival time and polled every 100 ms, then flushed. */
  static List<Finding> analyse(Simulator.Run run) {
    TraceIntegrity integrity = TraceIntegrity.newBuilder().build();
    List<Finding> findings = new ArrayList<>();
    long lastPoll = Long.MIN_VALUE;
    long now = 0;
    for (Batch b : run.batches()) {
      now = b.arrivalEpochNanos();
      integrity.add(b.spans(), now);
      if (now - lastPoll >= 100_000_000L) {
        findings.addAll(integrity.poll(now).findings());
        lastPoll = now;
      }
    }
    AnalysisResult rest = integrity.flush(now);
    findings.addAll(rest.findings());
    return findings;
  }

  static Accuracy score(List<Truth> truth, List<Finding> findings, long spans) {
    Accuracy a = new Accuracy();
    a.spans = spans;
    a.score(truth, findings);
    return a;
  }

  /**
   * Whether the reported spans can name this fault's kind at all: a break across traces needs
   * diagnostics on the side that tells kinds apart (the callee's for context_not_extracted, either
   * side's for the others); without them only "caller or path" / "path or callee" can be said.
   */
  static boolean kindKnowable(Truth t) {
    switch (t.kind()) {
      case "context_not_extracted":
        return t.diagnostics().equals("both") || t.diagnostics().equals("callee");
      case "context_not_injected":
      case "context_stripped":
      case "format_mismatch":
        return !t.diagnostics().equals("none");
      default:
        return true;
    }
  }

  /** Drops faults whose kind cannot be known, and the findings on their spans. */
  static Accuracy scoreKnowable(List<Truth> truth, List<Finding> findings, long spans) {
    Set<String> unknowable = new HashSet<>();
    List<Truth> kept = new ArrayList<>();
    for (Truth t : truth) {
      if (t.isFault() && !kindKnowable(t)) {
        unknowable.addAll(t.spanIds());
      } else {
        kept.add(t);
      }
    }
    List<Finding> keptFindings = new ArrayList<>();
    for (Finding f : findings) {
      if (java.util.Collections.disjoint(f.spanIds(), unknowable)) keptFindings.add(f);
    }
    return score(kept, keptFindings, spans);
  }

  private void score(List<Truth> truth, List<Finding> findings) {
    findingsTotal = findings.size();
    Map<String, List<Truth>> faultsBySpan = new HashMap<>();
    Set<String> intactSpans = new HashSet<>();
    for (Truth t : truth) {
      if (!t.isFault()) {
        intactHops++;
        intactSpans.addAll(t.spanIds());
        continue;
      }
      for (String id : t.spanIds()) faultsBySpan.computeIfAbsent(id, k -> new ArrayList<>()).add(t);
      score(t.exact() ? exact : heuristic, t.kind()).truths++;
    }
    Set<Truth> found = new HashSet<>();
    Map<String, List<Finding>> findingsBySpan = new HashMap<>();
    for (Finding f : findings) {
      for (String id : f.spanIds())
        findingsBySpan.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
    }
    for (Finding f : findings) {
      String kind = f.kind().wireName();
      Truth match = null;
      boolean touchesFault = false;
      for (String id : f.spanIds()) {
        for (Truth t : faultsBySpan.getOrDefault(id, List.of())) {
          touchesFault = true;
          if (t.kind().equals(kind)) match = t;
        }
      }
      // a finding counts in the evidence class of the truth it names, else by how it was paired
      boolean exactClass = match != null ? match.exact() : f.pairing() == Pairing.EXACT;
      Score s = score(exactClass ? exact : heuristic, kind);
      s.findings++;
      if (match != null) {
        s.correct++;
        if (found.add(match)) {
          Score ts = score(match.exact() ? exact : heuristic, kind);
          ts.found++;
          if (blameAgrees(match.blame(), f.blame().wireName())) ts.blameAgrees++;
        }
      } else {
        if (falseFindings.size() < 40) falseFindings.add(f.toString());
        falseByHop.merge(
            kind
                + " "
                + f.hop().from()
                + " -> "
                + f.hop().to()
                + " ("
                + f.hop().transport().wireName()
                + ", "
                + f.pairing()
                + (touchesFault ? ", on a fault's hop" : "")
                + ")",
            1,
            Integer::sum);
        if (f.kind().isBreak() && !touchesFault) {
          for (String id : f.spanIds()) {
            if (intactSpans.contains(id)) {
              falseOnIntact++;
              break;
            }
          }
        }
      }
    }
    for (Truth t : truth) {
      if (!t.isFault()) continue;
      if (found.contains(t) || flagged(t, findingsBySpan)) {
        score(t.exact() ? exact : heuristic, t.kind()).hopFlagged++;
      }
      byDiagnostics
          .computeIfAbsent(t.kind() + " / diagnostics: " + t.diagnostics(), k -> new int[2])[0]++;
      if (found.contains(t)) {
        byDiagnostics.get(t.kind() + " / diagnostics: " + t.diagnostics())[1]++;
      }
      if (found.contains(t)) continue;
      if (misses.size() < 40) misses.add(t.toString());
      missByHop.merge(
          t.kind()
              + " "
              + t.from()
              + " -> "
              + t.to()
              + " ("
              + t.transport()
              + ", "
              + t.evidence()
              + ")",
          1,
          Integer::sum);
    }
  }

  private static boolean flagged(Truth t, Map<String, List<Finding>> findingsBySpan) {
    for (String id : t.spanIds()) {
      for (Finding f : findingsBySpan.getOrDefault(id, List.of())) {
        if ((f.kind().isBreak() || f.kind().wireName().equals(t.kind()))
            && blameAgrees(t.blame(), f.blame().wireName())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The finding's blame names the truth's party, or a pair that includes it. */
  static boolean blameAgrees(String truth, String finding) {
    if (truth.equals(finding)) return true;
    return finding.contains("_or_") && List.of(finding.split("_or_")).contains(truth);
  }

  private static Score score(Map<String, Score> m, String kind) {
    return m.computeIfAbsent(kind, k -> new Score());
  }

  /** A Markdown table of the figures. */
  String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        "| finding kind | evidence | injected | found | recall | findings | precision | blame agrees"
            + " | hop flagged, fair blame |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Set<String> kinds = new java.util.TreeSet<>(exact.keySet());
    kinds.addAll(heuristic.keySet());
    for (String k : kinds) {
      row(b, k, "exact", exact.get(k));
      row(b, k, "heuristic", heuristic.get(k));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "\nIntact hops: %d; break findings on intact hops: %d (%.3f%%). Spans: %d; findings: %d.%n",
            intactHops,
            falseOnIntact,
            intactHops == 0 ? 0 : 100.0 * falseOnIntact / intactHops,
            spans,
            findingsTotal));
    b.append(
        "\n| finding kind / which side reports diagnostics | injected | found (kind right) |\n");
    b.append("|---|---:|---:|\n");
    byDiagnostics.forEach(
        (k, v) ->
            b.append("| ")
                .append(k)
                .append(" | ")
                .append(v[0])
                .append(" | ")
                .append(v[1])
                .append(" |\n"));
    return b.toString();
  }

  private static void row(StringBuilder b, String kind, String evidence, Score s) {
    if (s == null || s.truths == 0 && s.findings == 0) return;
    b.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %d | %d | %.3f | %d | %.3f | %d/%d | %d/%d |%n",
            kind,
            evidence,
            s.truths,
            s.found,
            s.recall(),
            s.findings,
            s.precision(),
            s.blameAgrees,
            s.found,
            s.hopFlagged,
            s.truths));
  }
}
