package dev.tracewire.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.FindingQuery;
import dev.tracewire.server.storage.Operation;
import dev.tracewire.server.storage.SpanStore;
import dev.tracewire.server.storage.TraceQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Tracewire's own REST API under {@code /api/v1}: lossless spans, OTLP/JSON-style attributes. */
final class RestApi {
  private final SpanStore store;
  private final IntegrityApi integrity;

  RestApi(SpanStore store, IntegrityApi integrity) {
    this.store = store;
    this.integrity = integrity;
  }

  HttpResponse trace(String traceIdHex) {
    TraceId id = TraceId.fromHex(traceIdHex);
    if (id == null || !id.isValid()) {
      throw new BadParameterException("traceId", traceIdHex, "32 or 16 hex digits, not all zero");
    }
    List<Span> spans = store.trace(id);
    if (spans.isEmpty()) {
      return error(HttpStatus.NOT_FOUND, "trace " + id.toHex() + " not found");
    }
    List<Finding> findings = integrity.findingsOf(id);
    return JsonBody.response(
        HttpStatus.OK,
        g -> {
          g.writeStartObject();
          g.writeStringField("traceId", id.toHex());
          g.writeArrayFieldStart("spans");
          for (Span span : spans) span(g, span);
          g.writeEndArray();
          g.writeFieldName("findings");
          IntegrityApi.findings(g, findings);
          g.writeEndObject();
        });
  }

  HttpResponse search(Params params) {
    TraceQuery.Builder query =
        TraceQuery.newBuilder()
            .serviceName(params.string("service"))
            .spanName(params.string("operation"))
            .tags(params.tags("tags"))
            .limit(params.limit("limit", TraceQuery.DEFAULT_LIMIT));
    long min = params.durationNanos("minDuration");
    long max = params.durationNanos("maxDuration");
    if (min >= 0) query.minDurationNanos(min);
    if (max >= 0) query.maxDurationNanos(max);
    long start = params.instantNanos("start");
    long end = params.instantNanos("end");
    if (start >= 0) query.startEpochNanos(start);
    if (end >= 0) query.endEpochNanos(end);
    if (min >= 0 && max >= 0 && min > max) {
      throw new BadParameterException(
          "maxDuration", params.string("maxDuration"), "at least minDuration");
    }
    TraceQuery built = query.build();
    List<List<Span>> traces =
        params.flag("withFindings") ? tracesWithFindings(built) : store.searchTraces(built);
    List<TraceId> ids = new ArrayList<>(traces.size());
    for (List<Span> trace : traces) ids.add(trace.get(0).traceId());
    // one storage call for the page: a query per trace made 1,000 results take seconds
    Map<TraceId, Integer> findingCounts = store.findingCounts(ids);
    return JsonBody.response(
        HttpStatus.OK,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("traces");
          for (int i = 0; i < traces.size(); i++) {
            summary(g, traces.get(i), findingCounts.getOrDefault(ids.get(i), 0));
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /**
   * Traces named by a finding in the query's window, newest finding first, that also have a span
   * matching every other criterion.
   */
  private List<List<Span>> tracesWithFindings(TraceQuery query) {
    List<Finding> findings =
        store.findings(
            FindingQuery.newBuilder()
                .startEpochNanos(query.startEpochNanos())
                .endEpochNanos(query.endEpochNanos())
                .service(query.serviceName())
                .limit(Params.MAX_LIMIT)
                .build());
    Set<TraceId> seen = new LinkedHashSet<>();
    List<List<Span>> traces = new ArrayList<>();
    for (Finding f : findings) {
      for (String hex : f.traceIds()) {
        TraceId id = TraceId.fromHex(hex);
        if (id == null || !seen.add(id)) continue;
        List<Span> trace = store.trace(id);
        if (trace.stream().anyMatch(query::test)) traces.add(trace);
        if (traces.size() == query.limit()) return traces;
      }
    }
    return traces;
  }

  HttpResponse services() {
    List<String> services = store.services();
    return JsonBody.response(
        HttpStatus.OK,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("services");
          for (String s : services) g.writeString(s);
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  HttpResponse operations(String service) {
    List<Operation> operations = store.operations(service);
    return JsonBody.response(
        HttpStatus.OK,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("operations");
          for (Operation o : operations) {
            g.writeStartObject();
            g.writeStringField("name", o.name());
            g.writeStringField("kind", o.kind().name());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  static HttpResponse error(HttpStatus status, String message) {
    return JsonBody.response(
        status,
        g -> {
          g.writeStartObject();
          g.writeStringField("error", message);
          g.writeEndObject();
        });
  }

  private static void summary(JsonGenerator g, List<Span> trace, int findingCount)
      throws IOException {
    Span root = trace.get(0);
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int errors = 0;
    TreeSet<String> services = new TreeSet<>();
    for (Span s : trace) {
      if (s.isRoot() && !root.isRoot()) root = s;
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
      if (s.status().code() == StatusCode.ERROR) errors++;
      services.add(s.serviceName());
    }
    g.writeStartObject();
    g.writeStringField("traceId", root.traceIdHex());
    g.writeStringField("rootServiceName", root.serviceName());
    g.writeStringField("rootName", root.name());
    g.writeStringField("startTimeUnixNano", Long.toString(start));
    g.writeNumberField("durationNanos", end - start);
    g.writeNumberField("spanCount", trace.size());
    g.writeNumberField("errorCount", errors);
    g.writeNumberField("findingCount", findingCount);
    g.writeArrayFieldStart("services");
    for (String s : services) g.writeString(s);
    g.writeEndArray();
    g.writeEndObject();
  }

  static void span(JsonGenerator g, Span s) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", s.traceIdHex());
    g.writeStringField("spanId", s.spanIdHex());
    g.writeStringField("parentSpanId", s.parentSpanIdHex());
    g.writeStringField("name", s.name());
    g.writeStringField("kind", s.kind().name());
    g.writeStringField("serviceName", s.serviceName());
    g.writeStringField("startTimeUnixNano", Long.toString(s.startEpochNanos()));
    g.writeStringField("endTimeUnixNano", Long.toString(s.endEpochNanos()));
    g.writeNumberField("durationNanos", s.durationNanos());
    g.writeObjectFieldStart("status");
    g.writeStringField("code", s.status().code().name());
    g.writeStringField("message", s.status().message());
    g.writeEndObject();
    g.writeFieldName("attributes");
    JsonBody.otlpAttributes(g, s.attributes());
    g.writeNumberField("droppedAttributesCount", s.droppedAttributesCount());
    g.writeArrayFieldStart("events");
    for (Event e : s.events()) {
      g.writeStartObject();
      g.writeStringField("timeUnixNano", Long.toString(e.epochNanos()));
      g.writeStringField("name", e.name());
      g.writeFieldName("attributes");
      JsonBody.otlpAttributes(g, e.attributes());
      g.writeNumberField("droppedAttributesCount", e.droppedAttributesCount());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("droppedEventsCount", s.droppedEventsCount());
    g.writeArrayFieldStart("links");
    for (Link l : s.links()) {
      g.writeStartObject();
      g.writeStringField("traceId", l.traceId().toHex());
      g.writeStringField("spanId", l.spanIdHex());
      g.writeStringField("traceState", l.traceState());
      g.writeNumberField("flags", l.flags());
      g.writeFieldName("attributes");
      JsonBody.otlpAttributes(g, l.attributes());
      g.writeNumberField("droppedAttributesCount", l.droppedAttributesCount());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("droppedLinksCount", s.droppedLinksCount());
    g.writeStringField("traceState", s.traceState());
    g.writeNumberField("flags", s.flags());
    g.writeObjectFieldStart("resource");
    g.writeFieldName("attributes");
    JsonBody.otlpAttributes(g, s.resource().attributes());
    g.writeNumberField("droppedAttributesCount", s.resource().droppedAttributesCount());
    g.writeStringField("schemaUrl", s.resource().schemaUrl());
    g.writeEndObject();
    g.writeObjectFieldStart("scope");
    g.writeStringField("name", s.scope().name());
    g.writeStringField("version", s.scope().version());
    g.writeFieldName("attributes");
    JsonBody.otlpAttributes(g, s.scope().attributes());
    g.writeNumberField("droppedAttributesCount", s.scope().droppedAttributesCount());
    g.writeStringField("schemaUrl", s.scope().schemaUrl());
    g.writeEndObject();
    g.writeEndObject();
  }
}
