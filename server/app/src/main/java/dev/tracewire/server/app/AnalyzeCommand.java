package dev.tracewire.server.app;

import dev.tracewire.server.analysis.AnalysisResult;
import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.IntegrityJson;
import dev.tracewire.server.analysis.TraceIntegrity;
import dev.tracewire.server.ingest.DecodeResult;
import dev.tracewire.server.ingest.SpanFormat;
import dev.tracewire.server.model.Span;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tracewire analyze}: offline trace-integrity analysis of OTLP JSON and Zipkin v2 JSON
 * files, printing the findings and per-edge counts as one JSON object (or text for people).
 *
 * <p>{@code tracewire analyze --format text spans.otlp.jsonl zipkin.json}
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Finds every hop where trace context was lost, and who lost it, in span files.",
      "Reads OTLP JSON (an ExportTraceServiceRequest per file, or one per line) and Zipkin v2 JSON"
          + " (a list of spans per file, or one list per line).",
      "Exit 0 when analysed (findings or not), 2 on unreadable input."
    })
public final class AnalyzeCommand implements Callable<Integer> {
  static final int UNREADABLE = 2;

  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      defaultValue = "json",
      description = "json (one object, for tools) or text (for people). Default: ${DEFAULT-VALUE}.")
  String format;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "OTLP JSON or Zipkin v2 JSON files.")
  List<Path> files;

  /** For picocli. */
  public AnalyzeCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!fmt.equals("json") && !fmt.equals("text")) {
      err.println("tracewire analyze: --format " + format + " (expected: json or text)");
      err.flush();
      return UNREADABLE;
    }
    List<Span> spans = new ArrayList<>();
    for (Path file : files) {
      String problem = read(file, spans, err);
      if (problem != null) {
        err.println("tracewire analyze: " + file + ": " + problem);
        err.flush();
        return UNREADABLE;
      }
    }
    AnalysisResult result = TraceIntegrity.analyze(spans);
    out.println(fmt.equals("json") ? IntegrityJson.report(result) : text(result));
    out.flush();
    err.flush();
    return 0;
  }

  /** Adds the file's spans; returns why the file is unreadable, or null. */
  static String read(Path file, List<Span> spans, PrintWriter err) {
    byte[] body;
    try {
      body = Files.readAllBytes(file);
    } catch (IOException e) {
      return "cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) return "empty file (expected OTLP JSON or Zipkin v2 JSON)";
    String[] lines = text.split("\r?\n");
    // JSON lines when the first line is a whole request by itself (a parser would stop after it)
    DecodeResult first = lines.length > 1 ? decode(lines[0].strip()) : null;
    if (first == null || first.isMalformed()) {
      DecodeResult whole = decode(text);
      if (whole == null) return "neither OTLP JSON nor Zipkin v2 JSON";
      if (whole.isMalformed()) return whole.malformedReason();
      add(whole, spans, err, file);
      return null;
    }
    List<DecodeResult> results = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) continue;
      DecodeResult r = decode(line);
      if (r == null) return "line " + (i + 1) + ": neither OTLP JSON nor Zipkin v2 JSON";
      if (r.isMalformed()) return "line " + (i + 1) + ": " + r.malformedReason();
      results.add(r);
    }
    for (DecodeResult r : results) add(r, spans, err, file);
    return null;
  }

  private static DecodeResult decode(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    char first = json.charAt(0);
    if (first == '[') return SpanFormat.ZIPKIN_JSON.decode(bytes);
    if (first == '{') return SpanFormat.OTLP_JSON.decode(bytes);
    return null;
  }

  private static void add(DecodeResult r, List<Span> spans, PrintWriter err, Path file) {
    spans.addAll(r.spans());
    if (r.rejectedCount() > 0) {
      err.println(
          "tracewire analyze: "
              + file
              + ": skipped "
              + r.rejectedCount()
              + " invalid span(s), first: "
              + r.firstRejection());
    }
  }

  static String text(AnalysisResult r) {
    StringBuilder b = new StringBuilder();
    b.append(r.traces()).append(" traces, ").append(r.spans()).append(" spans, ");
    b.append(r.findings().size()).append(r.findings().size() == 1 ? " finding" : " findings");
    b.append('\n');
    for (Finding f : r.findings()) {
      b.append('\n')
          .append(f.kind().wireName())
          .append("  ")
          .append(f.hop().from())
          .append(" -> ")
          .append(f.hop().to())
          .append(" (")
          .append(f.hop().transport().wireName())
          .append(")  blame: ")
          .append(f.blame().wireName())
          .append('\n');
      b.append("  traces:   ").append(String.join(" ", f.traceIds())).append('\n');
      b.append("  spans:    ").append(String.join(" ", f.spanIds())).append('\n');
      b.append("  evidence: ").append(f.evidence()).append('\n');
      b.append("  hint:     ").append(f.hint()).append('\n');
    }
    List<EdgeStats> edges = r.edgeTotals();
    if (!edges.isEmpty()) {
      b.append("\nedges (intact/broken):\n");
      for (EdgeStats e : edges) {
        b.append("  ")
            .append(e.edge().from())
            .append(" -> ")
            .append(e.edge().to())
            .append(" (")
            .append(e.edge().transport().wireName());
        if (!e.edge().destination().isEmpty()) b.append(' ').append(e.edge().destination());
        b.append(")  ")
            .append(e.intact())
            .append('/')
            .append(e.broken())
            .append(String.format(Locale.ROOT, "  %.1f%%", 100 * e.ratio()))
            .append('\n');
      }
    }
    return b.toString().stripTrailing();
  }
}
