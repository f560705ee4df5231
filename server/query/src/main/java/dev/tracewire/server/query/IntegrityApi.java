package dev.tracewire.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.tracewire.server.analysis.Edge;
import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.FindingKind;
import dev.tracewire.server.analysis.IntegrityJson;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.FindingQuery;
import dev.tracewire.server.storage.SpanStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/findings} and {@code /api/v1/integrity}: what the trace integrity analysis stored,
 * in the objects {@code tracewire analyze} prints (findings add {@code time}).
 */
final class IntegrityApi {
  /** Findings of one trace shown with it, at most. */
  static final int TRACE_FINDINGS_LIMIT = 1000;

  private final SpanStore store;

  IntegrityApi(SpanStore store) {
    this.store = store;
  }

  /** {@code GET /api/v1/findings?start=&end=&kind=&service=&limit=}, newest first. */
  HttpResponse findings(Params params) {
    FindingQuery.Builder query =
        FindingQuery.newBuilder()
            .service(params.string("service"))
            .limit(params.limit("limit", FindingQuery.DEFAULT_LIMIT));
    String kindName = params.string("kind");
    if (kindName != null) {
      FindingKind kind = FindingKind.fromWireName(kindName);
      if (kind == null) throw new BadParameterException("kind", kindName, kindNames());
      query.kind(kind);
    }
    long[] window = window(params);
    query.startEpochNanos(window[0]).endEpochNanos(window[1]);
    List<Finding> findings = store.findings(query.build());
    return JsonBody.response(
        HttpStatus.OK,
        g -> {
          g.writeStartObject();
          g.writeFieldName("findings");
          findings(g, findings);
          g.writeEndObject();
        });
  }

  /**
   * {@code GET /api/v1/integrity?start=&end=}: per edge (caller, callee, transport, destination)
   * the intact and broken hop counts and finding counts by kind in buckets starting in the window,
   * with the integrity ratio and the per-bucket series.
   */
  HttpResponse integrity(Params params) {
    long[] window = window(params);
    Map<Edge, List<EdgeStats>> byEdge = new LinkedHashMap<>();
    for (EdgeStats s : store.edgeStats(window[0], window[1])) {
      byEdge.computeIfAbsent(s.edge(), e -> new ArrayList<>()).add(s);
    }
    List<Map.Entry<Edge, List<EdgeStats>>> edges = new ArrayList<>(byEdge.entrySet());
    edges.sort(
        Map.Entry.comparingByKey(
            (a, b) -> {
              int c = a.from().compareTo(b.from());
              if (c == 0) c = a.to().compareTo(b.to());
              if (c == 0) c = a.transport().wireName().compareTo(b.transport().wireName());
              return c != 0 ? c : a.destination().compareTo(b.destination());
            }));
    return JsonBody.response(
        HttpStatus.OK,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("edges");
          for (Map.Entry<Edge, List<EdgeStats>> e : edges) edge(g, e.getKey(), e.getValue());
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** The findings concerning one trace, newest first. */
  List<Finding> findingsOf(TraceId traceId) {
    return store.findings(
        FindingQuery.newBuilder().traceId(traceId).limit(TRACE_FINDINGS_LIMIT).build());
  }

  /** Writes a JSON array of findings as {@code tracewire analyze} does, each with {@code time}. */
  static void findings(JsonGenerator g, List<Finding> findings) throws IOException {
    g.writeStartArray();
    StringBuilder b = new StringBuilder(512);
    for (Finding f : findings) {
      b.setLength(0);
      b.append('{');
      IntegrityJson.writeFindingFields(f, b);
      b.append(",\"time\":");
      IntegrityJson.string(instant(f.timeEpochNanos()), b);
      b.append('}');
      g.writeRawValue(b.toString());
    }
    g.writeEndArray();
  }

  private static void edge(JsonGenerator g, Edge edge, List<EdgeStats> buckets) throws IOException {
    EdgeStats total = EdgeStats.create(edge, 0, 0, 0, 0, Map.of());
    for (EdgeStats s : buckets) total = total.plus(s);
    g.writeStartObject();
    g.writeStringField("from", edge.from());
    g.writeStringField("to", edge.to());
    g.writeStringField("transport", edge.transport().wireName());
    g.writeStringField("destination", edge.destination());
    g.writeNumberField("intact", total.intact());
    g.writeNumberField("broken", total.broken());
    g.writeNumberField("ratio", total.ratio());
    g.writeObjectFieldStart("byKind");
    for (Map.Entry<FindingKind, Long> k : total.byKind().entrySet()) {
      g.writeNumberField(k.getKey().wireName(), k.getValue());
    }
    g.writeEndObject();
    g.writeArrayFieldStart("buckets");
    for (EdgeStats s : buckets) {
      g.writeStartObject();
      g.writeStringField("start", instant(s.bucketStartEpochNanos()));
      g.writeNumberField("seconds", s.bucketNanos() / 1_000_000_000L);
      g.writeNumberField("intact", s.intact());
      g.writeNumberField("broken", s.broken());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** {@code start} and {@code end} (epoch millis or ISO-8601) as inclusive epoch nanos. */
  private static long[] window(Params params) {
    long start = params.instantNanos("start");
    long end = params.instantNanos("end");
    if (start < 0) start = 0;
    if (end < 0) end = Long.MAX_VALUE;
    if (start > end) throw new BadParameterException("start", params.string("start"), "<= end");
    return new long[] {start, end};
  }

  static String instant(long epochNanos) {
    return Instant.ofEpochSecond(
            Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
        .toString();
  }

  private static String kindNames() {
    StringBuilder b = new StringBuilder("one of ");
    for (FindingKind k : FindingKind.values()) {
      if (k.ordinal() > 0) b.append(", ");
      b.append(k.wireName());
    }
    return b.toString();
  }
}
