package dev.tracewire.server.ingest;

import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanId;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.SpanValidation;
import dev.tracewire.server.model.Status;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zipkin2.Annotation;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Decodes Zipkin v2 spans with Zipkin's own {@link SpanBytesDecoder}, then maps them onto the span
 * model the way OpenTelemetry's Zipkin exporter maps the other way (see RATIONALE.md): local
 * service to {@code service.name}, endpoints to {@code network.*} attributes, {@code otel.*} tags
 * back to scope and status, annotations to events.
 */
final class ZipkinDecoder {
  static final String PEER_SERVICE = "peer.service";
  static final String PEER_ADDRESS = "network.peer.address";
  static final String PEER_PORT = "network.peer.port";
  static final String LOCAL_ADDRESS = "network.local.address";
  static final String LOCAL_PORT = "network.local.port";
  static final String DEBUG = "zipkin.debug";
  static final String SHARED = "zipkin.shared";

  static DecodeResult decode(byte[] body, SpanBytesDecoder decoder) {
    List<zipkin2.Span> input = new ArrayList<>();
    try {
      // zipkin's decoders throw IllegalArgumentException, and may leak others on odd input
      decoder.decodeList(body, input);
    } catch (RuntimeException e) {
      return DecodeResult.malformed(
          "invalid Zipkin "
              + decoder.encoding().name().replace('_', ' ')
              + " body: "
              + e.getMessage());
    }
    if (input.isEmpty() && body.length > 0 && !isEmptyJsonList(body, decoder)) {
      return DecodeResult.malformed("invalid Zipkin body: no spans could be read");
    }
    List<Span> spans = new ArrayList<>(input.size());
    DecodeResult.Rejections rejections = new DecodeResult.Rejections();
    Shared shared = new Shared();
    for (zipkin2.Span z : input) {
      Span span = span(z, shared);
      String problem = SpanValidation.problem(span);
      if (problem != null) {
        rejections.add(problem, "span " + z.id() + " " + (z.name() == null ? "" : z.name()));
      } else {
        spans.add(span);
      }
    }
    return DecodeResult.of(spans, rejections);
  }

  private static boolean isEmptyJsonList(byte[] body, SpanBytesDecoder decoder) {
    if (decoder != SpanBytesDecoder.JSON_V2) return false;
    String s = new String(body, java.nio.charset.StandardCharsets.UTF_8).trim();
    return s.replaceAll("\\s", "").equals("[]");
  }

  /**
   * One Resource per service and one scope per name and version within a request, as an OTLP
   * request carries them: the store encodes each shared instance once, not once per span.
   */
  private static final class Shared {
    final Map<String, Resource> resources = new HashMap<>();
    final Map<List<String>, InstrumentationScope> scopes = new HashMap<>();
  }

  private static Span span(zipkin2.Span z, Shared shared) {
    Attributes.Builder attributes = Attributes.newBuilder();
    String scopeName = null;
    String scopeVersion = null;
    String otelStatus = null;
    String otelStatusDescription = null;
    String error = null;
    for (Map.Entry<String, String> tag : z.tags().entrySet()) {
      String key = tag.getKey();
      String value = tag.getValue();
      switch (key) {
        case "otel.scope.name":
        case "otel.library.name":
          scopeName = value;
          break;
        case "otel.scope.version":
        case "otel.library.version":
          scopeVersion = value;
          break;
        case "otel.status_code":
          otelStatus = value;
          break;
        case "otel.status_description":
          otelStatusDescription = value;
          break;
        case "error":
          error = value;
          break;
        default:
          attributes.put(key, value);
      }
    }
    Endpoint remote = z.remoteEndpoint();
    if (remote != null) {
      if (remote.serviceName() != null) attributes.put(PEER_SERVICE, remote.serviceName());
      String ip = remote.ipv6() != null ? remote.ipv6() : remote.ipv4();
      if (ip != null) attributes.put(PEER_ADDRESS, ip);
      if (remote.port() != null) attributes.put(PEER_PORT, (long) remote.portAsInt());
    }
    Endpoint local = z.localEndpoint();
    String localService = local == null ? null : local.serviceName();
    if (local != null) {
      String ip = local.ipv6() != null ? local.ipv6() : local.ipv4();
      if (ip != null) attributes.put(LOCAL_ADDRESS, ip);
      if (local.port() != null) attributes.put(LOCAL_PORT, (long) local.portAsInt());
    }
    if (Boolean.TRUE.equals(z.debug())) attributes.put(DEBUG, true);
    if (Boolean.TRUE.equals(z.shared())) attributes.put(SHARED, true);

    Status status = Status.UNSET;
    if ("ERROR".equals(otelStatus) || error != null) {
      String message = otelStatusDescription != null ? otelStatusDescription : error;
      status = Status.create(StatusCode.ERROR, message);
      // an error tag whose text differs from the status message would otherwise be lost
      if (error != null && !error.equals(message)) attributes.put("error", error);
    } else if ("OK".equals(otelStatus)) {
      status = Status.create(StatusCode.OK, "");
    } else if (otelStatus != null) {
      attributes.put("otel.status_code", otelStatus);
    }

    List<Event> events = new ArrayList<>(z.annotations().size());
    for (Annotation a : z.annotations()) {
      events.add(Event.create(a.timestamp() * 1000L, a.value(), Attributes.empty()));
    }
    long start = z.timestampAsLong() * 1000L;
    return Span.newBuilder()
        .traceId(TraceId.fromHex(z.traceId()))
        .spanId(SpanId.fromHex(z.id()))
        .parentSpanId(z.parentId() == null ? SpanId.NONE : SpanId.fromHex(z.parentId()))
        .name(z.name())
        .kind(kind(z.kind()))
        .startEpochNanos(start)
        .endEpochNanos(start + z.durationAsLong() * 1000L)
        .status(status)
        .attributes(attributes.build())
        .events(events)
        .resource(
            localService == null
                ? Resource.empty()
                : shared.resources.computeIfAbsent(
                    localService,
                    name ->
                        Resource.create(
                            Attributes.newBuilder().put(Resource.SERVICE_NAME, name).build())))
        .scope(
            scopeName == null && scopeVersion == null
                ? InstrumentationScope.empty()
                : shared.scopes.computeIfAbsent(
                    Arrays.asList(scopeName, scopeVersion),
                    k -> InstrumentationScope.create(k.get(0), k.get(1))))
        .build();
  }

  private static SpanKind kind(zipkin2.Span.Kind kind) {
    if (kind == null) return SpanKind.UNSPECIFIED;
    switch (kind) {
      case CLIENT:
        return SpanKind.CLIENT;
      case SERVER:
        return SpanKind.SERVER;
      case PRODUCER:
        return SpanKind.PRODUCER;
      case CONSUMER:
        return SpanKind.CONSUMER;
      default:
        return SpanKind.UNSPECIFIED;
    }
  }

  private ZipkinDecoder() {}
}
