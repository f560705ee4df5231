package dev.tracewire.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewire.propagation.Format;
import dev.tracewire.propagation.FormatReading;
import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Map;

/**
 * What the universal propagator made of one set of inbound headers, as the JSON both {@code
 * headers} and {@code echo} answer with, and as text for people.
 */
final class Explanation {
  static final ObjectMapper JSON = new ObjectMapper();

  private Explanation() {}

  /**
   * Describes an extraction: each format present, the one used, conflicts, merged baggage, and the
   * headers injected downstream for a client span of {@code extracted}.
   */
  static ObjectNode describe(
      HopDiagnostics diagnostics, Context extracted, Map<String, String> downstream) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode formats = root.putArray("formats");
    if (diagnostics != null) {
      for (FormatReading reading : diagnostics.readings()) formats.add(reading(reading));
    }
    Format used = diagnostics != null ? diagnostics.used() : null;
    root.put("used", used != null ? used.id() : null);
    ArrayNode conflicts = root.putArray("conflicts");
    if (diagnostics != null) {
      for (Format format : diagnostics.conflicts()) conflicts.add(format.id());
    }
    SpanContext remoteParent =
        diagnostics != null ? diagnostics.remoteParent() : SpanContext.getInvalid();
    root.put("remoteParent", remoteParent.isValid() ? remoteParent.getSpanId() : null);
    root.put("trustBoundary", diagnostics != null && diagnostics.trustBoundaryApplied());
    root.put("requestId", diagnostics != null ? diagnostics.requestId() : null);
    ObjectNode baggage = root.putObject("baggage");
    Baggage.fromContext(extracted).forEach((key, entry) -> baggage.put(key, entry.getValue()));
    ObjectNode down = root.putObject("downstream");
    down.put("note", Downstream.NOTE);
    ObjectNode headers = down.putObject("headers");
    downstream.forEach(headers::put);
    return root;
  }

  private static ObjectNode reading(FormatReading reading) {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", reading.format().id());
    node.put("valid", reading.valid());
    node.put("reason", reading.reason());
    SpanContext context = reading.spanContext();
    boolean carriesIds = context != null && context.isValid();
    node.put("traceId", carriesIds ? context.getTraceId() : null);
    node.put("parentId", carriesIds ? context.getSpanId() : null);
    node.put("sampled", reading.sampled());
    node.put("debug", reading.debug());
    return node;
  }

  /** Renders {@link #describe} output as aligned text for a terminal. */
  static String text(JsonNode explanation) {
    StringBuilder out = new StringBuilder();
    JsonNode formats = explanation.path("formats");
    if (formats.isEmpty()) {
      out.append("formats        none present\n");
    } else {
      out.append("formats\n");
      for (JsonNode f : formats) {
        out.append(String.format(Locale.ROOT, "  %-14s", f.path("format").asText()));
        if (f.path("valid").asBoolean()) {
          out.append("valid");
          boolean carriesSpan = !f.path("traceId").isNull();
          if (carriesSpan) {
            out.append("  trace ").append(f.path("traceId").asText());
            out.append("  parent ").append(f.path("parentId").asText());
          }
          // a decision can travel without ids (b3: 0); deferring only means something with them
          if (!f.path("sampled").isNull()) {
            out.append("  sampled ").append(f.path("sampled").asText());
          } else if (carriesSpan) {
            out.append("  sampled defer");
          }
          if (f.path("debug").asBoolean()) out.append("  debug");
        } else {
          out.append("invalid  ").append(f.path("reason").asText("(no reason given)"));
        }
        out.append('\n');
      }
    }
    line(out, "used", orNone(explanation.path("used")));
    line(out, "conflicts", join(explanation.path("conflicts")));
    line(out, "remote parent", orNone(explanation.path("remoteParent")));
    line(
        out,
        "trust boundary",
        explanation.path("trustBoundary").asBoolean() ? "applied: new trace" : "not applied");
    line(out, "request id", orNone(explanation.path("requestId")));
    StringBuilder baggage = new StringBuilder();
    for (Map.Entry<String, JsonNode> e : explanation.path("baggage").properties()) {
      if (baggage.length() > 0) baggage.append(", ");
      baggage.append(e.getKey()).append('=').append(e.getValue().asText());
    }
    line(out, "baggage", baggage.length() > 0 ? baggage.toString() : "none");
    JsonNode downstream = explanation.path("downstream");
    out.append("downstream (").append(downstream.path("note").asText()).append(")\n");
    for (Map.Entry<String, JsonNode> h : downstream.path("headers").properties()) {
      out.append("  ").append(h.getKey()).append(": ").append(h.getValue().asText()).append('\n');
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "%-15s", label)).append(value).append('\n');
  }

  private static String orNone(JsonNode node) {
    return node.isNull() || node.isMissingNode() ? "none" : node.asText();
  }

  private static String join(JsonNode array) {
    if (array.isEmpty()) return "none";
    StringBuilder b = new StringBuilder();
    for (JsonNode n : array) {
      if (b.length() > 0) b.append(", ");
      b.append(n.asText());
    }
    return b.toString();
  }

  static String json(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serializes", e);
    }
  }
}
