package dev.tracewire.benchmarks.load;

import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes spans as a Zipkin v2 JSON list, the way OpenTelemetry's Zipkin exporter maps them: tags
 * are strings, the scope becomes {@code otel.scope.*} tags, an error status becomes {@code error},
 * events become annotations. Resource attributes other than {@code service.name} have no place in
 * Zipkin's model and are left out, as the exporter does.
 */
final class ZipkinJson {
  private ZipkinJson() {}

  static byte[] encode(List<Span> spans) {
    StringBuilder b = new StringBuilder(spans.size() * 700);
    b.append('[');
    for (int i = 0; i < spans.size(); i++) {
      if (i > 0) b.append(',');
      span(b, spans.get(i));
    }
    return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void span(StringBuilder b, Span s) {
    b.append("{\"traceId\":\"").append(s.traceIdHex());
    b.append("\",\"id\":\"").append(s.spanIdHex()).append('"');
    if (!s.isRoot()) b.append(",\"parentId\":\"").append(s.parentSpanIdHex()).append('"');
    String kind = kind(s.kind());
    if (kind != null) b.append(",\"kind\":\"").append(kind).append('"');
    b.append(",\"name\":");
    string(b, s.name());
    b.append(",\"timestamp\":").append(s.startEpochNanos() / 1000);
    b.append(",\"duration\":").append(Math.max(1, s.durationNanos() / 1000));
    b.append(",\"localEndpoint\":{\"serviceName\":");
    string(b, s.serviceName());
    b.append('}');
    if (!s.events().isEmpty()) {
      b.append(",\"annotations\":[");
      for (int i = 0; i < s.events().size(); i++) {
        Event e = s.events().get(i);
        if (i > 0) b.append(',');
        b.append("{\"timestamp\":").append(e.epochNanos() / 1000).append(",\"value\":");
        string(b, e.name());
        b.append('}');
      }
      b.append(']');
    }
    b.append(",\"tags\":{");
    boolean first = true;
    for (Attribute a : s.attributes().asList()) {
      if (!first) b.append(',');
      first = false;
      string(b, a.key());
      b.append(':');
      string(b, a.value().asString());
    }
    if (!s.scope().name().isEmpty()) {
      if (!first) b.append(',');
      first = false;
      b.append("\"otel.scope.name\":");
      string(b, s.scope().name());
      b.append(",\"otel.scope.version\":");
      string(b, s.scope().version());
    }
    if (s.status().code() == StatusCode.ERROR) {
      if (!first) b.append(',');
      b.append("\"otel.status_code\":\"ERROR\",\"error\":");
      string(b, s.status().message());
    }
    b.append("}}");
  }

  private static String kind(SpanKind kind) {
    switch (kind) {
      case CLIENT:
        return "CLIENT";
      case SERVER:
        return "SERVER";
      case PRODUCER:
        return "PRODUCER";
      case CONSUMER:
        return "CONSUMER";
      default:
        return null;
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }
}
