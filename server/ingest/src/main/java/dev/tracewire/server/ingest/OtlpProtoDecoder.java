package dev.tracewire.server.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
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
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes OTLP protobuf into the span model, keeping resource, scope, every attribute type, events,
 * links, status and dropped counts.
 *
 * <pre>{@code
 * DecodeResult result = OtlpProtoDecoder.decode(request); // from the gRPC service
 * }</pre>
 */
public final class OtlpProtoDecoder {
  static final String LINK_TRACE_ID = "invalid link trace id (expected 16 bytes)";
  static final String LINK_SPAN_ID = "invalid link span id (expected 8 bytes)";

  /**
   * Parses and decodes a serialized {@code ExportTraceServiceRequest}: straight from the wire when
   * the encoding is the usual one, through the generated classes otherwise (same result).
   */
  public static DecodeResult decode(byte[] body) {
    DecodeResult direct = OtlpWireDecoder.decode(body);
    if (direct != null) return direct;
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      return DecodeResult.malformed(
          "invalid OTLP protobuf ExportTraceServiceRequest: " + e.getMessage());
    }
    return decode(request);
  }

  /** Decodes a parsed request, rejecting individually invalid spans. */
  public static DecodeResult decode(ExportTraceServiceRequest request) {
    List<Span> spans = new ArrayList<>();
    DecodeResult.Rejections rejections = new DecodeResult.Rejections();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      io.opentelemetry.proto.resource.v1.Resource r = rs.getResource();
      Resource resource =
          new Resource(
              attributes(r.getAttributesList()), r.getDroppedAttributesCount(), rs.getSchemaUrl());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        io.opentelemetry.proto.common.v1.InstrumentationScope s = ss.getScope();
        InstrumentationScope scope =
            new InstrumentationScope(
                s.getName(),
                s.getVersion(),
                attributes(s.getAttributesList()),
                s.getDroppedAttributesCount(),
                ss.getSchemaUrl());
        for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
          String problem = idProblem(span);
          Span decoded = null;
          if (problem == null) {
            decoded = span(span, resource, scope);
            problem = SpanValidation.problem(decoded);
          }
          if (problem != null) {
            rejections.add(problem, "span " + hex(span.getSpanId()) + " " + span.getName());
          } else {
            spans.add(decoded);
          }
        }
      }
    }
    return DecodeResult.of(spans, rejections);
  }

  private static String idProblem(io.opentelemetry.proto.trace.v1.Span span) {
    String why = SpanValidation.traceIdBytes(span.getTraceId().toByteArray());
    if (why == null) why = SpanValidation.spanIdBytes(span.getSpanId().toByteArray());
    if (why == null) why = SpanValidation.parentSpanIdBytes(span.getParentSpanId().toByteArray());
    if (why != null) return why;
    for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
      if (link.getTraceId().size() != 16) return LINK_TRACE_ID;
      if (link.getSpanId().size() != 8) return LINK_SPAN_ID;
    }
    return null;
  }

  private static Span span(
      io.opentelemetry.proto.trace.v1.Span span, Resource resource, InstrumentationScope scope) {
    List<Event> events = new ArrayList<>(span.getEventsCount());
    for (io.opentelemetry.proto.trace.v1.Span.Event e : span.getEventsList()) {
      events.add(
          new Event(
              e.getTimeUnixNano(),
              e.getName(),
              attributes(e.getAttributesList()),
              e.getDroppedAttributesCount()));
    }
    List<Link> links = new ArrayList<>(span.getLinksCount());
    for (io.opentelemetry.proto.trace.v1.Span.Link l : span.getLinksList()) {
      links.add(
          new Link(
              TraceId.fromBytes(l.getTraceId().toByteArray()),
              SpanId.fromBytes(l.getSpanId().toByteArray()),
              l.getTraceState(),
              attributes(l.getAttributesList()),
              l.getFlags(),
              l.getDroppedAttributesCount()));
    }
    io.opentelemetry.proto.trace.v1.Status status = span.getStatus();
    return Span.newBuilder()
        .traceId(TraceId.fromBytes(span.getTraceId().toByteArray()))
        .spanId(SpanId.fromBytes(span.getSpanId().toByteArray()))
        .parentSpanId(
            span.getParentSpanId().isEmpty()
                ? SpanId.NONE
                : SpanId.fromBytes(span.getParentSpanId().toByteArray()))
        .name(span.getName())
        .kind(SpanKind.forNumber(span.getKindValue()))
        .startEpochNanos(span.getStartTimeUnixNano())
        .endEpochNanos(span.getEndTimeUnixNano())
        .status(Status.create(StatusCode.forNumber(status.getCodeValue()), status.getMessage()))
        .attributes(attributes(span.getAttributesList()))
        .events(events)
        .links(links)
        .traceState(span.getTraceState())
        .flags(span.getFlags())
        .resource(resource)
        .scope(scope)
        .droppedAttributesCount(span.getDroppedAttributesCount())
        .droppedEventsCount(span.getDroppedEventsCount())
        .droppedLinksCount(span.getDroppedLinksCount())
        .build();
  }

  static Attributes attributes(List<KeyValue> list) {
    if (list.isEmpty()) return Attributes.empty();
    List<Attribute> out = new ArrayList<>(list.size());
    for (KeyValue kv : list) out.add(new Attribute(kv.getKey(), value(kv.getValue())));
    return Attributes.of(out);
  }

  static AttributeValue value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return AttributeValue.of(v.getStringValue());
      case BOOL_VALUE:
        return AttributeValue.of(v.getBoolValue());
      case INT_VALUE:
        return AttributeValue.of(v.getIntValue());
      case DOUBLE_VALUE:
        return AttributeValue.of(v.getDoubleValue());
      case BYTES_VALUE:
        return AttributeValue.of(v.getBytesValue().toByteArray());
      case ARRAY_VALUE:
        List<AttributeValue> values = new ArrayList<>(v.getArrayValue().getValuesCount());
        for (AnyValue item : v.getArrayValue().getValuesList()) values.add(value(item));
        return AttributeValue.ofArray(values);
      case KVLIST_VALUE:
        return AttributeValue.ofKeyValueList(attributes(v.getKvlistValue().getValuesList()));
      default:
        return AttributeValue.empty();
    }
  }

  private static String hex(ByteString id) {
    return hex(id.toByteArray());
  }

  static String hex(byte[] id) {
    StringBuilder b = new StringBuilder(id.length * 2);
    for (byte x : id) {
      b.append(Character.forDigit((x >> 4) & 0xf, 16));
      b.append(Character.forDigit(x & 0xf, 16));
    }
    return b.length() == 0 ? "(empty id)" : b.toString();
  }

  private OtlpProtoDecoder() {}
}
