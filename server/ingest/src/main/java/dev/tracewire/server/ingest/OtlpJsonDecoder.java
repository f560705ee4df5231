package dev.tracewire.server.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanId;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.SpanValidation;
import dev.tracewire.server.model.Status;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Decodes OTLP/JSON by the OTLP rules, which protobuf's {@code JsonFormat} does not follow: ids are
 * hex (either case), enums integers (names are accepted too), keys lowerCamelCase (the proto names
 * are accepted too), 64-bit integers strings or numbers, unknown fields ignored.
 *
 * <p>A value of the wrong JSON type makes the whole body malformed, with its path in the message; a
 * span with a bad id or times is rejected alone.
 */
final class OtlpJsonDecoder {
  static final String LINK_TRACE_ID = "invalid link trace id (expected 32 hex digits)";
  static final String LINK_SPAN_ID = "invalid link span id (expected 16 hex digits)";

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  static DecodeResult decode(byte[] body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return DecodeResult.malformed("invalid JSON: " + e.getOriginalMessage() + location(e));
    } catch (IOException e) {
      return DecodeResult.malformed("invalid JSON: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) return DecodeResult.malformed("empty JSON body");
    try {
      return decode(root);
    } catch (Malformed e) {
      return DecodeResult.malformed(e.getMessage());
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static DecodeResult decode(JsonNode root) {
    object(root, "$");
    List<Span> spans = new ArrayList<>();
    DecodeResult.Rejections rejections = new DecodeResult.Rejections();
    List<JsonNode> resourceSpans = array(root, "resourceSpans", "resource_spans", "$");
    for (int i = 0; i < resourceSpans.size(); i++) {
      String rsPath = "resourceSpans[" + i + "]";
      JsonNode rs = object(resourceSpans.get(i), rsPath);
      JsonNode r = object(field(rs, "resource", "resource"), rsPath + ".resource");
      Resource resource =
          new Resource(
              attributes(r, rsPath + ".resource"),
              int32(r, "droppedAttributesCount", "dropped_attributes_count", rsPath + ".resource"),
              string(rs, "schemaUrl", "schema_url", rsPath));
      List<JsonNode> scopeSpans = array(rs, "scopeSpans", "scope_spans", rsPath);
      for (int j = 0; j < scopeSpans.size(); j++) {
        String ssPath = rsPath + ".scopeSpans[" + j + "]";
        JsonNode ss = object(scopeSpans.get(j), ssPath);
        JsonNode s = object(field(ss, "scope", "scope"), ssPath + ".scope");
        InstrumentationScope scope =
            new InstrumentationScope(
                string(s, "name", "name", ssPath + ".scope"),
                string(s, "version", "version", ssPath + ".scope"),
                attributes(s, ssPath + ".scope"),
                int32(s, "droppedAttributesCount", "dropped_attributes_count", ssPath + ".scope"),
                string(ss, "schemaUrl", "schema_url", ssPath));
        List<JsonNode> list = array(ss, "spans", "spans", ssPath);
        for (int k = 0; k < list.size(); k++) {
          String path = ssPath + ".spans[" + k + "]";
          JsonNode span = object(list.get(k), path);
          String problem = idProblem(span, path);
          Span decoded = null;
          if (problem == null) {
            decoded = span(span, resource, scope, path);
            problem = SpanValidation.problem(decoded);
          }
          if (problem != null) {
            rejections.add(problem, path);
          } else {
            spans.add(decoded);
          }
        }
      }
    }
    return DecodeResult.of(spans, rejections);
  }

  private static String idProblem(JsonNode span, String path) {
    String why = SpanValidation.traceIdHex(string(span, "traceId", "trace_id", path));
    if (why == null) why = SpanValidation.spanIdHex(string(span, "spanId", "span_id", path));
    if (why == null) {
      why = SpanValidation.parentSpanIdHex(string(span, "parentSpanId", "parent_span_id", path));
    }
    if (why != null) return why;
    List<JsonNode> links = array(span, "links", "links", path);
    for (int i = 0; i < links.size(); i++) {
      JsonNode link = object(links.get(i), path + ".links[" + i + "]");
      String where = path + ".links[" + i + "]";
      if (SpanValidation.traceIdHex(string(link, "traceId", "trace_id", where)) != null) {
        return LINK_TRACE_ID;
      }
      if (SpanValidation.spanIdHex(string(link, "spanId", "span_id", where)) != null) {
        return LINK_SPAN_ID;
      }
    }
    return null;
  }

  private static Span span(
      JsonNode span, Resource resource, InstrumentationScope scope, String path) {
    List<JsonNode> eventNodes = array(span, "events", "events", path);
    List<Event> events = new ArrayList<>(eventNodes.size());
    for (int i = 0; i < eventNodes.size(); i++) {
      String where = path + ".events[" + i + "]";
      JsonNode e = object(eventNodes.get(i), where);
      events.add(
          new Event(
              int64(e, "timeUnixNano", "time_unix_nano", where),
              string(e, "name", "name", where),
              attributes(e, where),
              int32(e, "droppedAttributesCount", "dropped_attributes_count", where)));
    }
    List<JsonNode> linkNodes = array(span, "links", "links", path);
    List<Link> links = new ArrayList<>(linkNodes.size());
    for (int i = 0; i < linkNodes.size(); i++) {
      String where = path + ".links[" + i + "]";
      JsonNode l = linkNodes.get(i);
      links.add(
          new Link(
              TraceId.fromHex(string(l, "traceId", "trace_id", where)),
              SpanId.fromHex(string(l, "spanId", "span_id", where)),
              string(l, "traceState", "trace_state", where),
              attributes(l, where),
              int32(l, "flags", "flags", where),
              int32(l, "droppedAttributesCount", "dropped_attributes_count", where)));
    }
    JsonNode status = object(field(span, "status", "status"), path + ".status");
    String parent = string(span, "parentSpanId", "parent_span_id", path);
    return Span.newBuilder()
        .traceId(TraceId.fromHex(string(span, "traceId", "trace_id", path)))
        .spanId(SpanId.fromHex(string(span, "spanId", "span_id", path)))
        .parentSpanId(parent.isEmpty() ? SpanId.NONE : SpanId.fromHex(parent))
        .name(string(span, "name", "name", path))
        .kind(SpanKind.forNumber(enumNumber(span, "kind", "kind", "SPAN_KIND_", KINDS, path)))
        .startEpochNanos(int64(span, "startTimeUnixNano", "start_time_unix_nano", path))
        .endEpochNanos(int64(span, "endTimeUnixNano", "end_time_unix_nano", path))
        .status(
            Status.create(
                StatusCode.forNumber(
                    enumNumber(status, "code", "code", "STATUS_CODE_", CODES, path + ".status")),
                string(status, "message", "message", path + ".status")))
        .attributes(attributes(span, path))
        .events(events)
        .links(links)
        .traceState(string(span, "traceState", "trace_state", path))
        .flags(int32(span, "flags", "flags", path))
        .resource(resource)
        .scope(scope)
        .droppedAttributesCount(
            int32(span, "droppedAttributesCount", "dropped_attributes_count", path))
        .droppedEventsCount(int32(span, "droppedEventsCount", "dropped_events_count", path))
        .droppedLinksCount(int32(span, "droppedLinksCount", "dropped_links_count", path))
        .build();
  }

  private static final String[] KINDS = {
    "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"
  };
  private static final String[] CODES = {"UNSET", "OK", "ERROR"};

  private static Attributes attributes(JsonNode owner, String path) {
    return keyValues(array(owner, "attributes", "attributes", path), path + ".attributes");
  }

  private static Attributes keyValues(List<JsonNode> list, String path) {
    if (list.isEmpty()) return Attributes.empty();
    List<Attribute> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String where = path + "[" + i + "]";
      JsonNode kv = object(list.get(i), where);
      out.add(
          new Attribute(
              string(kv, "key", "key", where),
              value(object(field(kv, "value", "value"), where + ".value"), where + ".value")));
    }
    return Attributes.of(out);
  }

  private static AttributeValue value(JsonNode v, String path) {
    JsonNode n;
    if ((n = field(v, "stringValue", "string_value")) != null) {
      return AttributeValue.of(string(v, "stringValue", "string_value", path));
    }
    if ((n = field(v, "boolValue", "bool_value")) != null) {
      if (!n.isBoolean()) throw wrongType(path + ".boolValue", "boolean", n);
      return AttributeValue.of(n.booleanValue());
    }
    if (field(v, "intValue", "int_value") != null) {
      return AttributeValue.of(int64(v, "intValue", "int_value", path));
    }
    if ((n = field(v, "doubleValue", "double_value")) != null) {
      return AttributeValue.of(toDouble(n, path + ".doubleValue"));
    }
    if ((n = field(v, "bytesValue", "bytes_value")) != null) {
      if (!n.isTextual()) throw wrongType(path + ".bytesValue", "base64 string", n);
      try {
        return AttributeValue.of(Base64.getDecoder().decode(n.textValue()));
      } catch (IllegalArgumentException e) {
        throw new Malformed(path + ".bytesValue: invalid base64");
      }
    }
    if ((n = field(v, "arrayValue", "array_value")) != null) {
      JsonNode array = object(n, path + ".arrayValue");
      List<JsonNode> items = array(array, "values", "values", path + ".arrayValue");
      List<AttributeValue> values = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        String where = path + ".arrayValue.values[" + i + "]";
        values.add(value(object(items.get(i), where), where));
      }
      return AttributeValue.ofArray(values);
    }
    if ((n = field(v, "kvlistValue", "kvlist_value")) != null) {
      JsonNode list = object(n, path + ".kvlistValue");
      return AttributeValue.ofKeyValueList(
          keyValues(
              array(list, "values", "values", path + ".kvlistValue"),
              path + ".kvlistValue.values"));
    }
    return AttributeValue.empty();
  }

  private static double toDouble(JsonNode n, String path) {
    if (n.isNumber()) return n.doubleValue();
    if (n.isTextual()) {
      switch (n.textValue()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(n.textValue());
          } catch (NumberFormatException e) {
            throw wrongType(path, "number", n);
          }
      }
    }
    throw wrongType(path, "number", n);
  }

  /** The field under its JSON name, else its proto name, else {@code null} (JSON null too). */
  private static JsonNode field(JsonNode owner, String jsonName, String protoName) {
    if (owner == null) return null;
    JsonNode n = owner.get(jsonName);
    if (n == null && !protoName.equals(jsonName)) n = owner.get(protoName);
    return n == null || n.isNull() ? null : n;
  }

  /** {@code node} when an object, {@code null} when absent; otherwise malformed. */
  private static JsonNode object(JsonNode node, String path) {
    if (node == null || node.isNull()) return null;
    if (!node.isObject()) throw wrongType(path, "object", node);
    return node;
  }

  private static List<JsonNode> array(JsonNode owner, String json, String proto, String path) {
    JsonNode n = field(owner, json, proto);
    if (n == null) return List.of();
    if (!n.isArray()) throw wrongType(path + "." + json, "array", n);
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  private static String string(JsonNode owner, String json, String proto, String path) {
    JsonNode n = field(owner, json, proto);
    if (n == null) return "";
    if (!n.isTextual()) throw wrongType(path + "." + json, "string", n);
    return n.textValue();
  }

  private static long int64(JsonNode owner, String json, String proto, String path) {
    JsonNode n = field(owner, json, proto);
    if (n == null) return 0;
    if (n.isIntegralNumber() && n.canConvertToLong()) return n.longValue();
    if (n.isTextual()) {
      try {
        return Long.parseLong(n.textValue());
      } catch (NumberFormatException e) {
        try {
          return Long.parseUnsignedLong(n.textValue()); // fixed64 past Long.MAX_VALUE
        } catch (NumberFormatException e2) {
          throw wrongType(path + "." + json, "64-bit integer (number or string)", n);
        }
      }
    }
    throw wrongType(path + "." + json, "64-bit integer (number or string)", n);
  }

  private static int int32(JsonNode owner, String json, String proto, String path) {
    JsonNode n = field(owner, json, proto);
    if (n == null) return 0;
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      long v = n.longValue();
      // fixed32 flags may arrive as unsigned values up to 2^32-1
      if (v >= Integer.MIN_VALUE && v <= 0xFFFFFFFFL) return (int) v;
    }
    throw wrongType(path + "." + json, "32-bit integer", n);
  }

  private static int enumNumber(
      JsonNode owner, String json, String proto, String prefix, String[] names, String path) {
    JsonNode n = field(owner, json, proto);
    if (n == null) return 0;
    if (n.isIntegralNumber() && n.canConvertToInt()) return n.intValue();
    if (n.isTextual()) {
      for (int i = 0; i < names.length; i++) {
        if (n.textValue().equals(prefix + names[i])) return i;
      }
    }
    throw wrongType(path + "." + json, "enum integer", n);
  }

  private static Malformed wrongType(String path, String expected, JsonNode actual) {
    String got = actual.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    if (actual.isTextual()) {
      String text = actual.textValue();
      got = "string \"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
    }
    return new Malformed(path + ": expected " + expected + ", got " + got);
  }

  /** Internal signal for a malformed body; never escapes {@link #decode(byte[])}. */
  private static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private OtlpJsonDecoder() {}
}
