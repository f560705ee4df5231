package dev.tracewire.server.simulator;

import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanId;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.Status;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import zipkin2.Endpoint;

/**
 * A span while its trace is simulated: true times plus the reporting host's clock offset, and
 * attributes in the order an SDK would write them. Rendered as OTLP (model span) or Zipkin v2.
 */
final class SimSpan {
  final Service service;
  final TraceId traceId;
  final long spanId;
  final long parentSpanId;
  final SpanKind kind;
  String name;
  long start;
  long end;
  long skew;
  boolean remoteParent;
  boolean reported = true;
  String error;
  String scope = "";
  String remoteService;
  String remoteIp;
  int remotePort;
  final List<Object[]> attributes = new ArrayList<>(12);
  final List<Link> links = new ArrayList<>(0);

  SimSpan(Service service, TraceId traceId, long spanId, long parentSpanId, SpanKind kind) {
    this.service = service;
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.kind = kind;
  }

  /** Adds an attribute: String, Long, Integer or List of String. */
  SimSpan put(String key, Object value) {
    attributes.add(new Object[] {key, value});
    return this;
  }

  Object get(String key) {
    for (Object[] a : attributes) {
      if (a[0].equals(key)) return a[1];
    }
    return null;
  }

  long reportedStart() {
    return start + skew;
  }

  long reportedEnd() {
    return end + skew;
  }

  /** As an OpenTelemetry SDK exports it over OTLP. */
  Span toModel() {
    Attributes.Builder a = Attributes.newBuilder();
    for (Object[] kv : attributes) a.put((String) kv[0], value(kv[1]));
    int flags = 0x101 | (remoteParent ? 0x200 : 0); // sampled; has_is_remote (+ is_remote)
    return Span.newBuilder()
        .traceId(traceId)
        .spanId(spanId)
        .parentSpanId(parentSpanId)
        .name(name)
        .kind(kind)
        .startEpochNanos(reportedStart())
        .endEpochNanos(reportedEnd())
        .status(error == null ? Status.UNSET : Status.create(StatusCode.ERROR, error))
        .attributes(a.build())
        .links(links)
        .flags(flags)
        .resource(resource(service))
        .scope(InstrumentationScope.create(scope, "2.31.1-alpha"))
        .build();
  }

  /** As Brave or Envoy reports it in Zipkin v2; list attributes become comma-joined tags. */
  zipkin2.Span toZipkin() {
    zipkin2.Span.Builder b =
        zipkin2.Span.newBuilder()
            .traceId(traceId.high() == 0 ? SpanId.toHex(traceId.low()) : traceId.toHex())
            .id(spanId)
            .name(name)
            .kind(zipkinKind())
            .timestamp(reportedStart() / 1000)
            .duration(Math.max(1, (end - start) / 1000))
            .localEndpoint(Endpoint.newBuilder().serviceName(service.name).ip(service.ip).build());
    if (parentSpanId != SpanId.NONE) b.parentId(parentSpanId);
    if (remoteIp != null || remoteService != null) {
      Endpoint.Builder r = Endpoint.newBuilder();
      if (remoteService != null) r.serviceName(remoteService);
      if (remoteIp != null) r.ip(remoteIp);
      if (remotePort > 0) r.port(remotePort);
      b.remoteEndpoint(r.build());
    }
    for (Object[] kv : attributes) {
      Object v = kv[1];
      b.putTag(
          (String) kv[0], v instanceof List<?> l ? String.join(",", strings(l)) : v.toString());
    }
    if (error != null) b.putTag("error", error);
    return b.build();
  }

  private zipkin2.Span.Kind zipkinKind() {
    switch (kind) {
      case CLIENT:
        return zipkin2.Span.Kind.CLIENT;
      case SERVER:
        return zipkin2.Span.Kind.SERVER;
      case PRODUCER:
        return zipkin2.Span.Kind.PRODUCER;
      case CONSUMER:
        return zipkin2.Span.Kind.CONSUMER;
      default:
        return null;
    }
  }

  static Resource resource(Service s) {
    return Resource.create(
        Attributes.newBuilder()
            .put("service.name", s.name)
            .put("service.namespace", "shop")
            .put("telemetry.sdk.language", "java")
            .put("telemetry.sdk.name", "opentelemetry")
            .put("telemetry.sdk.version", "1.68.0")
            .put("host.name", s.name + "-7d9f8b6c5-x2k4q")
            .build());
  }

  private static AttributeValue value(Object v) {
    if (v instanceof String s) return AttributeValue.of(s);
    if (v instanceof Long l) return AttributeValue.of(l.longValue());
    if (v instanceof Integer i) return AttributeValue.of(i.longValue());
    if (v instanceof Boolean b) return AttributeValue.of(b.booleanValue());
    if (v instanceof List<?> l) {
      List<AttributeValue> out = new ArrayList<>(l.size());
      for (String s : strings(l)) out.add(AttributeValue.of(s));
      return AttributeValue.ofArray(out);
    }
    return AttributeValue.of(String.valueOf(v));
  }

  private static List<String> strings(List<?> l) {
    List<String> out = new ArrayList<>(l.size());
    for (Object o : l) out.add(String.valueOf(o));
    return out;
  }
}
