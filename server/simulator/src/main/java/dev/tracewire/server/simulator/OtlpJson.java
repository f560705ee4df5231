package dev.tracewire.server.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes spans as one OTLP/JSON {@code ExportTraceServiceRequest}: hex ids, integer enums, int64 as
 * strings, lowerCamelCase keys, as the OTLP specification's JSON encoding has them.
 */
final class OtlpJson {
  private static final JsonFactory JSON = new JsonFactory();

  static byte[] encode(List<Span> spans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512 * Math.max(1, spans.size()));
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(spans, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  private static void write(List<Span> spans, JsonGenerator g) throws IOException {
    Map<Resource, Map<InstrumentationScope, List<Span>>> grouped = new LinkedHashMap<>();
    for (Span s : spans) {
      grouped
          .computeIfAbsent(s.resource(), k -> new LinkedHashMap<>())
          .computeIfAbsent(s.scope(), k -> new java.util.ArrayList<>())
          .add(s);
    }
    g.writeStartObject();
    g.writeArrayFieldStart("resourceSpans");
    for (Map.Entry<Resource, Map<InstrumentationScope, List<Span>>> r : grouped.entrySet()) {
      g.writeStartObject();
      g.writeObjectFieldStart("resource");
      attributes(r.getKey().attributes(), g);
      g.writeEndObject();
      g.writeArrayFieldStart("scopeSpans");
      for (Map.Entry<InstrumentationScope, List<Span>> sc : r.getValue().entrySet()) {
        g.writeStartObject();
        g.writeObjectFieldStart("scope");
        g.writeStringField("name", sc.getKey().name());
        if (!sc.getKey().version().isEmpty()) g.writeStringField("version", sc.getKey().version());
        g.writeEndObject();
        g.writeArrayFieldStart("spans");
        for (Span s : sc.getValue()) span(s, g);
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void span(Span s, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", s.traceIdHex());
    g.writeStringField("spanId", s.spanIdHex());
    if (!s.isRoot()) g.writeStringField("parentSpanId", s.parentSpanIdHex());
    if (s.flags() != 0) g.writeNumberField("flags", s.flags());
    g.writeStringField("name", s.name());
    g.writeNumberField("kind", s.kind().number());
    g.writeStringField("startTimeUnixNano", Long.toString(s.startEpochNanos()));
    g.writeStringField("endTimeUnixNano", Long.toString(s.endEpochNanos()));
    attributes(s.attributes(), g);
    if (!s.links().isEmpty()) {
      g.writeArrayFieldStart("links");
      for (Link l : s.links()) {
        g.writeStartObject();
        g.writeStringField("traceId", l.traceId().toHex());
        g.writeStringField("spanId", l.spanIdHex());
        attributes(l.attributes(), g);
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (s.status().code().number() != 0) {
      g.writeObjectFieldStart("status");
      g.writeNumberField("code", s.status().code().number());
      if (!s.status().message().isEmpty()) g.writeStringField("message", s.status().message());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void attributes(Attributes attributes, JsonGenerator g) throws IOException {
    if (attributes.isEmpty()) return;
    g.writeArrayFieldStart("attributes");
    for (Attribute a : attributes.asList()) {
      g.writeStartObject();
      g.writeStringField("key", a.key());
      g.writeFieldName("value");
      value(a.value(), g);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void value(AttributeValue v, JsonGenerator g) throws IOException {
    g.writeStartObject();
    if (v instanceof AttributeValue.StringValue s) {
      g.writeStringField("stringValue", s.value());
    } else if (v instanceof AttributeValue.LongValue l) {
      g.writeStringField("intValue", Long.toString(l.value()));
    } else if (v instanceof AttributeValue.BoolValue b) {
      g.writeBooleanField("boolValue", b.value());
    } else if (v instanceof AttributeValue.DoubleValue d) {
      g.writeNumberField("doubleValue", d.value());
    } else if (v instanceof AttributeValue.ArrayValue a) {
      g.writeObjectFieldStart("arrayValue");
      g.writeArrayFieldStart("values");
      for (AttributeValue e : a.values()) value(e, g);
      g.writeEndArray();
      g.writeEndObject();
    } else {
      g.writeStringField("stringValue", v.asString());
    }
    g.writeEndObject();
  }

  private OtlpJson() {}
}
