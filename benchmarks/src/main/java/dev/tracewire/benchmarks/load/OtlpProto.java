package dev.tracewire.benchmarks.load;

import com.google.protobuf.ByteString;
import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.TraceId;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes spans as an OTLP {@code ExportTraceServiceRequest} in protobuf, grouped by resource and
 * scope as an OpenTelemetry SDK exporter sends them.
 */
final class OtlpProto {
  private OtlpProto() {}

  static byte[] encode(List<dev.tracewire.server.model.Span> spans) {
    Map<Resource, Map<InstrumentationScope, List<Span>>> grouped = new LinkedHashMap<>();
    for (dev.tracewire.server.model.Span s : spans) {
      grouped
          .computeIfAbsent(s.resource(), r -> new LinkedHashMap<>())
          .computeIfAbsent(s.scope(), sc -> new ArrayList<>())
          .add(span(s));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    grouped.forEach(
        (resource, scopes) -> {
          ResourceSpans.Builder rs =
              ResourceSpans.newBuilder()
                  .setResource(
                      io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                          .addAllAttributes(keyValues(resource.attributes())))
                  .setSchemaUrl(resource.schemaUrl() == null ? "" : resource.schemaUrl());
          scopes.forEach(
              (scope, scopeSpans) ->
                  rs.addScopeSpans(
                      ScopeSpans.newBuilder()
                          .setScope(
                              io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                                  .setName(scope.name())
                                  .setVersion(scope.version())
                                  .addAllAttributes(keyValues(scope.attributes())))
                          .setSchemaUrl(scope.schemaUrl())
                          .addAllSpans(scopeSpans)));
          request.addResourceSpans(rs);
        });
    return request.build().toByteArray();
  }

  private static Span span(dev.tracewire.server.model.Span s) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(traceId(s.traceId()))
            .setSpanId(spanId(s.spanId()))
            .setName(s.name())
            .setKindValue(s.kind().number())
            .setStartTimeUnixNano(s.startEpochNanos())
            .setEndTimeUnixNano(s.endEpochNanos())
            .addAllAttributes(keyValues(s.attributes()))
            .setFlags(s.flags())
            .setTraceState(s.traceState());
    if (!s.isRoot()) b.setParentSpanId(spanId(s.parentSpanId()));
    if (s.status().code() != dev.tracewire.server.model.StatusCode.UNSET) {
      b.setStatus(
          Status.newBuilder()
              .setCodeValue(s.status().code().number())
              .setMessage(s.status().message()));
    }
    for (dev.tracewire.server.model.Event e : s.events()) {
      b.addEvents(
          Span.Event.newBuilder()
              .setTimeUnixNano(e.epochNanos())
              .setName(e.name())
              .addAllAttributes(keyValues(e.attributes())));
    }
    for (Link l : s.links()) {
      b.addLinks(
          Span.Link.newBuilder()
              .setTraceId(traceId(l.traceId()))
              .setSpanId(spanId(l.spanId()))
              .setTraceState(l.traceState())
              .addAllAttributes(keyValues(l.attributes())));
    }
    return b.build();
  }

  private static ByteString traceId(TraceId id) {
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(id.high()).putLong(id.low()).flip());
  }

  private static ByteString spanId(long id) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).flip());
  }

  private static List<KeyValue> keyValues(Attributes attributes) {
    List<KeyValue> out = new ArrayList<>(attributes.size());
    for (Attribute a : attributes.asList()) {
      out.add(KeyValue.newBuilder().setKey(a.key()).setValue(value(a.value())).build());
    }
    return out;
  }

  private static AnyValue value(AttributeValue v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof AttributeValue.StringValue) {
      b.setStringValue(((AttributeValue.StringValue) v).value());
    } else if (v instanceof AttributeValue.BoolValue) {
      b.setBoolValue(((AttributeValue.BoolValue) v).value());
    } else if (v instanceof AttributeValue.LongValue) {
      b.setIntValue(((AttributeValue.LongValue) v).value());
    } else if (v instanceof AttributeValue.DoubleValue) {
      b.setDoubleValue(((AttributeValue.DoubleValue) v).value());
    } else if (v instanceof AttributeValue.BytesValue) {
      b.setBytesValue(ByteString.copyFrom(((AttributeValue.BytesValue) v).value()));
    } else if (v instanceof AttributeValue.ArrayValue) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      for (AttributeValue item : ((AttributeValue.ArrayValue) v).values()) {
        array.addValues(value(item));
      }
      b.setArrayValue(array);
    } else if (v instanceof AttributeValue.KeyValueListValue) {
      b.setKvlistValue(
          KeyValueList.newBuilder()
              .addAllValues(keyValues(((AttributeValue.KeyValueListValue) v).values())));
    }
    return b.build();
  }
}
