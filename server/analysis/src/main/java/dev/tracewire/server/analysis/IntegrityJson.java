package dev.tracewire.server.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes findings, edges and whole reports in the JSON shapes fixed by issue 5, so {@code tracewire
 * analyze} and the server print the same objects.
 *
 * <pre>{@code
 * String json = IntegrityJson.report(TraceIntegrity.analyze(spans));
 * // {"traces":2,"spans":7,"findings":[{"kind":"context_stripped",...}],"edges":[...]}
 * }</pre>
 */
public final class IntegrityJson {
  /**
   * The {@code tracewire analyze} object: {@code traces}, {@code spans}, {@code findings} and
   * {@code edges} (totals per caller, callee and transport).
   */
  public static String report(AnalysisResult result) {
    StringBuilder b = new StringBuilder(256 + 512 * result.findings().size());
    b.append("{\"traces\":").append(result.traces());
    b.append(",\"spans\":").append(result.spans());
    b.append(",\"findings\":[");
    List<Finding> findings = result.findings();
    for (int i = 0; i < findings.size(); i++) {
      if (i > 0) b.append(',');
      writeFinding(findings.get(i), b);
    }
    b.append("],\"edges\":[");
    boolean first = true;
    for (EdgeStats e : totalsByHop(result.edges())) {
      if (!first) b.append(',');
      first = false;
      writeEdge(e, b);
    }
    return b.append("]}").toString();
  }

  /**
   * {@code
   * {"kind","traceIds","spanIds","hop":{"from","to","transport"},"blame","evidence","hint"}}.
   */
  public static void writeFinding(Finding f, StringBuilder out) {
    out.append('{');
    writeFindingFields(f, out);
    out.append('}');
  }

  /** The finding's fields without braces, so a caller can add its own (the server's "time"). */
  public static void writeFindingFields(Finding f, StringBuilder out) {
    out.append("\"kind\":");
    string(f.kind().wireName(), out);
    out.append(",\"traceIds\":");
    strings(f.traceIds(), out);
    out.append(",\"spanIds\":");
    strings(f.spanIds(), out);
    out.append(",\"hop\":");
    writeHop(f.hop(), out);
    out.append(",\"blame\":");
    string(f.blame().wireName(), out);
    out.append(",\"evidence\":");
    string(f.evidence(), out);
    out.append(",\"hint\":");
    string(f.hint(), out);
  }

  /** {@code {"from","to","transport"}}. */
  public static void writeHop(Hop hop, StringBuilder out) {
    out.append("{\"from\":");
    string(hop.from(), out);
    out.append(",\"to\":");
    string(hop.to(), out);
    out.append(",\"transport\":");
    string(hop.transport().wireName(), out);
    out.append('}');
  }

  /** {@code {"from","to","transport","intact","broken"}}. */
  public static void writeEdge(EdgeStats e, StringBuilder out) {
    out.append("{\"from\":");
    string(e.edge().from(), out);
    out.append(",\"to\":");
    string(e.edge().to(), out);
    out.append(",\"transport\":");
    string(e.edge().transport().wireName(), out);
    out.append(",\"intact\":").append(e.intact());
    out.append(",\"broken\":").append(e.broken());
    out.append('}');
  }

  /** Sums counts over buckets and destinations: one entry per caller, callee and transport. */
  static List<EdgeStats> totalsByHop(List<EdgeStats> edges) {
    Map<Hop, EdgeStats> totals = new LinkedHashMap<>();
    for (EdgeStats s : edges) {
      Edge e = s.edge();
      Edge key = new Edge(e.from(), e.to(), e.transport(), "");
      EdgeStats zero = EdgeStats.create(key, 0, 0, 0, 0, Map.of());
      totals.merge(e.hop(), zero.plus(s), EdgeStats::plus);
    }
    return List.copyOf(totals.values());
  }

  /** Appends {@code s} as a JSON string. */
  public static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private static void strings(List<String> list, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) out.append(',');
      string(list.get(i), out);
    }
    out.append(']');
  }

  private IntegrityJson() {}
}
