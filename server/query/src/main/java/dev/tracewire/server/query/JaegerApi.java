package dev.tracewire.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.Hop;
import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.DependencyLink;
import dev.tracewire.server.storage.Operation;
import dev.tracewire.server.storage.SpanStore;
import dev.tracewire.server.storage.TraceQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Jaeger query HTTP API ({@code /api/...}) in the shapes Jaeger's UI and Grafana's Jaeger data
 * source read: {@code {"data": ..., "total", "limit", "offset", "errors"}}, times in microseconds
 * (dependencies in milliseconds).
 */
final class JaegerApi {
  static final long DEFAULT_LOOKBACK_MILLIS = 24 * 3600 * 1000L;

  private final SpanStore store;
  private final IntegrityApi integrity;
  private final Clock clock;

  /** Reads the wall clock in epoch milliseconds; a seam so tests need not sleep. */
  interface Clock {
    long currentTimeMillis();
  }

  JaegerApi(SpanStore store, IntegrityApi integrity, Clock clock) {
    this.store = store;
    this.integrity = integrity;
    this.clock = clock;
  }

  HttpResponse services() {
    List<String> services = store.services();
    return data(
        services.size(),
        g -> {
          g.writeStartArray();
          for (String s : services) g.writeString(s);
          g.writeEndArray();
        });
  }

  /** The older endpoint Grafana calls: operation names only. */
  HttpResponse operationNames(String service) {
    Set<String> names = new LinkedHashSet<>();
    for (Operation o : store.operations(service)) names.add(o.name());
    return data(
        names.size(),
        g -> {
          g.writeStartArray();
          for (String n : names) g.writeString(n);
          g.writeEndArray();
        });
  }

  /** {@code /api/operations?service=&spanKind=}: names with span kinds. */
  HttpResponse operations(Params params) {
    String service = params.string("service");
    if (service == null) throw new BadParameterException("service", null, "a service name");
    String kind = params.string("spanKind");
    List<Operation> operations = new ArrayList<>();
    for (Operation o : store.operations(service)) {
      if (kind == null || kind.equalsIgnoreCase(jaegerKind(o.kind()))) operations.add(o);
    }
    return data(
        operations.size(),
        g -> {
          g.writeStartArray();
          for (Operation o : operations) {
            g.writeStartObject();
            g.writeStringField("name", o.name());
            g.writeStringField("spanKind", jaegerKind(o.kind()));
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  HttpResponse trace(String traceIdHex) {
    TraceId id = TraceId.fromHex(traceIdHex);
    if (id == null || !id.isValid()) {
      throw new BadParameterException("traceID", traceIdHex, "32 or 16 hex digits, not all zero");
    }
    List<Span> spans = store.trace(id);
    if (spans.isEmpty()) return error(HttpStatus.NOT_FOUND, "trace not found");
    List<Finding> findings = integrity.findingsOf(id);
    return data(
        1,
        g -> {
          g.writeStartArray();
          trace(g, spans, findings);
          g.writeEndArray();
        });
  }

  HttpResponse search(Params params) {
    TraceQuery.Builder query =
        TraceQuery.newBuilder()
            .serviceName(params.string("service"))
            .tags(params.tags("tags"))
            .limit(params.limit("limit", TraceQuery.DEFAULT_LIMIT));
    String operation = params.string("operation");
    if (operation != null && !operation.equals("all")) query.spanName(operation);
    // Jaeger's own UI sends tag=k:v, Grafana sends tags={"k":"v"}
    Map<String, String> tagPairs = params.tags("tag");
    if (!tagPairs.isEmpty()) {
      Map<String, String> merged = new LinkedHashMap<>(params.tags("tags"));
      merged.putAll(tagPairs);
      query.tags(merged);
    }
    long min = params.durationNanos("minDuration");
    long max = params.durationNanos("maxDuration");
    if (min >= 0) query.minDurationNanos(min);
    if (max >= 0) query.maxDurationNanos(max);
    long endMicros =
        params.longValue("end", clock.currentTimeMillis() * 1000L, "epoch microseconds");
    long startMicros = params.longValue("start", -1, "epoch microseconds");
    if (startMicros < 0) {
      String lookback = params.string("lookback");
      long lookbackNanos =
          lookback == null || lookback.equals("custom") ? -1 : Params.parseDuration(lookback);
      if (lookback != null && !lookback.equals("custom") && lookbackNanos < 0) {
        throw new BadParameterException("lookback", lookback, "a duration like 1h or 2d");
      }
      startMicros = lookbackNanos < 0 ? 0 : endMicros - lookbackNanos / 1000L;
    }
    if (startMicros > endMicros) {
      throw new BadParameterException("start", Long.toString(startMicros), "at most end");
    }
    query.startEpochNanos(Math.max(0, startMicros) * 1000L).endEpochNanos(endMicros * 1000L);
    List<List<Span>> traces = store.searchTraces(query.build());
    return data(
        traces.size(),
        g -> {
          g.writeStartArray();
          for (List<Span> trace : traces) trace(g, trace, List.of());
          g.writeEndArray();
        });
  }

  HttpResponse dependencies(Params params) {
    long endTs = params.longValue("endTs", clock.currentTimeMillis(), "epoch milliseconds");
    long lookback = params.longValue("lookback", DEFAULT_LOOKBACK_MILLIS, "milliseconds");
    if (lookback < 0) {
      throw new BadParameterException("lookback", Long.toString(lookback), "milliseconds >= 0");
    }
    List<DependencyLink> links =
        withIntegrityEdges(
            store.dependencies(endTs - lookback, endTs),
            store.edgeStats(millisToNanos(endTs - lookback), millisToNanos(endTs)));
    return data(
        links.size(),
        g -> {
          g.writeStartArray();
          for (DependencyLink l : links) {
            g.writeStartObject();
            g.writeStringField("parent", l.parent());
            g.writeStringField("child", l.child());
            g.writeNumberField("callCount", l.callCount());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  /**
   * Adds the caller → callee pairs only the integrity analysis knows: messaging hops joined by
   * links (batch consumers), and hops broken so that no parent/child pair exists. Pairs parent and
   * child already show keep their counts.
   */
  static List<DependencyLink> withIntegrityEdges(
      List<DependencyLink> parentChild, List<EdgeStats> edges) {
    Map<String, DependencyLink> pairs = new LinkedHashMap<>();
    for (DependencyLink l : parentChild) pairs.put(l.parent() + '\0' + l.child(), l);
    Map<String, long[]> added = new TreeMap<>();
    for (EdgeStats s : edges) {
      String from = s.edge().from();
      String to = s.edge().to();
      if (from.equals(to) || from.equals(Hop.UNKNOWN_SERVICE) || to.equals(Hop.UNKNOWN_SERVICE)) {
        continue;
      }
      String key = from + '\0' + to;
      if (pairs.containsKey(key)) continue;
      added.computeIfAbsent(key, k -> new long[1])[0] += s.intact() + s.broken();
    }
    if (added.isEmpty()) return parentChild;
    List<DependencyLink> all = new ArrayList<>(parentChild);
    added.forEach(
        (key, count) -> {
          int sep = key.indexOf('\0');
          all.add(new DependencyLink(key.substring(0, sep), key.substring(sep + 1), count[0], 0));
        });
    all.sort(Comparator.comparing(DependencyLink::parent).thenComparing(DependencyLink::child));
    return all;
  }

  private static long millisToNanos(long epochMillis) {
    if (epochMillis <= 0) return 0;
    return epochMillis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : epochMillis * 1_000_000;
  }

  static HttpResponse error(HttpStatus status, String message) {
    return JsonBody.response(
        status,
        g -> {
          g.writeStartObject();
          g.writeNullField("data");
          g.writeNumberField("total", 0);
          g.writeNumberField("limit", 0);
          g.writeNumberField("offset", 0);
          g.writeArrayFieldStart("errors");
          g.writeStartObject();
          g.writeNumberField("code", status.code());
          g.writeStringField("msg", message);
          g.writeEndObject();
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static HttpResponse data(int total, JsonBody.Writer data) {
    return JsonBody.response(
        HttpStatus.OK,
        g -> {
          g.writeStartObject();
          g.writeFieldName("data");
          data.write(g);
          g.writeNumberField("total", total);
          g.writeNumberField("limit", 0);
          g.writeNumberField("offset", 0);
          g.writeNullField("errors");
          g.writeEndObject();
        });
  }

  /** Writes one Jaeger trace; {@code findings} become warnings on the spans they name. */
  static void trace(JsonGenerator g, List<Span> spans, List<Finding> findings) throws IOException {
    Set<String> spanIds = new HashSet<>();
    for (Span s : spans) spanIds.add(s.spanIdHex());
    Map<String, List<String>> spanWarnings = new HashMap<>();
    List<String> traceWarnings = new ArrayList<>();
    for (Finding f : findings) {
      String warning = warning(f);
      boolean attached = false;
      for (String id : f.spanIds()) {
        if (spanIds.contains(id)) {
          spanWarnings.computeIfAbsent(id, k -> new ArrayList<>()).add(warning);
          attached = true;
        }
      }
      if (!attached) traceWarnings.add(warning);
    }
    // one process per distinct resource, numbered in order of first appearance as Jaeger does
    Map<Resource, String> processes = new LinkedHashMap<>();
    for (Span s : spans) processes.computeIfAbsent(s.resource(), r -> "p" + (processes.size() + 1));
    String traceId = spans.get(0).traceIdHex();
    g.writeStartObject();
    g.writeStringField("traceID", traceId);
    g.writeArrayFieldStart("spans");
    for (Span s : spans) {
      span(g, s, processes.get(s.resource()), spanWarnings.get(s.spanIdHex()));
    }
    g.writeEndArray();
    g.writeObjectFieldStart("processes");
    for (Map.Entry<Resource, String> p : processes.entrySet()) {
      g.writeObjectFieldStart(p.getValue());
      g.writeStringField("serviceName", p.getKey().serviceName());
      g.writeArrayFieldStart("tags");
      for (Attribute a : p.getKey().attributes().asList()) {
        if (!a.key().equals(Resource.SERVICE_NAME)) tag(g, a.key(), a.value());
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndObject();
    warnings(g, traceWarnings.isEmpty() ? null : traceWarnings);
    g.writeEndObject();
  }

  /** One line a Jaeger or Grafana user reads on the span: kind, hop, blame, evidence and hint. */
  static String warning(Finding f) {
    StringBuilder b =
        new StringBuilder("tracewire ")
            .append(f.kind().wireName())
            .append(": ")
            .append(f.hop().from())
            .append(" -> ")
            .append(f.hop().to())
            .append(" (")
            .append(f.hop().transport().wireName())
            .append("), blame ")
            .append(f.blame().wireName());
    if (!f.evidence().isEmpty()) b.append(". ").append(f.evidence());
    if (!f.hint().isEmpty()) b.append(". ").append(f.hint());
    return b.toString();
  }

  private static void warnings(JsonGenerator g, List<String> warnings) throws IOException {
    if (warnings == null) {
      g.writeNullField("warnings");
      return;
    }
    g.writeArrayFieldStart("warnings");
    for (String w : warnings) g.writeString(w);
    g.writeEndArray();
  }

  private static void span(JsonGenerator g, Span s, String processId, List<String> warnings)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("traceID", s.traceIdHex());
    g.writeStringField("spanID", s.spanIdHex());
    g.writeStringField("operationName", s.name());
    g.writeArrayFieldStart("references");
    if (!s.isRoot()) reference(g, "CHILD_OF", s.traceIdHex(), s.parentSpanIdHex());
    for (Link l : s.links()) reference(g, "FOLLOWS_FROM", l.traceId().toHex(), l.spanIdHex());
    g.writeEndArray();
    g.writeNumberField("flags", s.flags() & 0xff);
    g.writeNumberField("startTime", s.startEpochNanos() / 1000L);
    g.writeNumberField("duration", s.durationNanos() / 1000L);
    g.writeArrayFieldStart("tags");
    for (Attribute a : s.attributes().asList()) tag(g, a.key(), a.value());
    String kind = jaegerKind(s.kind());
    if (!kind.isEmpty()) tag(g, "span.kind", AttributeValue.of(kind));
    if (s.status().code() != StatusCode.UNSET) {
      tag(g, "otel.status_code", AttributeValue.of(s.status().code().name()));
    }
    if (s.status().code() == StatusCode.ERROR) tag(g, "error", AttributeValue.of(true));
    if (!s.status().message().isEmpty()) {
      tag(g, "otel.status_description", AttributeValue.of(s.status().message()));
    }
    if (!s.scope().name().isEmpty()) {
      tag(g, "otel.scope.name", AttributeValue.of(s.scope().name()));
    }
    if (!s.scope().version().isEmpty()) {
      tag(g, "otel.scope.version", AttributeValue.of(s.scope().version()));
    }
    if (!s.traceState().isEmpty()) tag(g, "w3c.tracestate", AttributeValue.of(s.traceState()));
    g.writeEndArray();
    g.writeArrayFieldStart("logs");
    for (Event e : s.events()) {
      g.writeStartObject();
      g.writeNumberField("timestamp", e.epochNanos() / 1000L);
      g.writeArrayFieldStart("fields");
      tag(g, "event", AttributeValue.of(e.name()));
      for (Attribute a : e.attributes().asList()) tag(g, a.key(), a.value());
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("processID", processId);
    warnings(g, warnings);
    g.writeEndObject();
  }

  private static void reference(JsonGenerator g, String type, String traceId, String spanId)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("refType", type);
    g.writeStringField("traceID", traceId);
    g.writeStringField("spanID", spanId);
    g.writeEndObject();
  }

  private static void tag(JsonGenerator g, String key, AttributeValue value) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    if (value instanceof AttributeValue.BoolValue v) {
      g.writeStringField("type", "bool");
      g.writeBooleanField("value", v.value());
    } else if (value instanceof AttributeValue.LongValue v) {
      g.writeStringField("type", "int64");
      g.writeNumberField("value", v.value());
    } else if (value instanceof AttributeValue.DoubleValue v && Double.isFinite(v.value())) {
      g.writeStringField("type", "float64");
      g.writeNumberField("value", v.value());
    } else if (value instanceof AttributeValue.BytesValue) {
      g.writeStringField("type", "binary");
      g.writeStringField("value", value.asString());
    } else {
      g.writeStringField("type", "string");
      g.writeStringField("value", value.asString());
    }
    g.writeEndObject();
  }

  static String jaegerKind(SpanKind kind) {
    return kind == SpanKind.UNSPECIFIED ? "" : kind.name().toLowerCase(Locale.ROOT);
  }
}
