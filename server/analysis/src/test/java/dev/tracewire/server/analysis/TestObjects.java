package dev.tracewire.server.analysis;

import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.Status;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.List;

/** Named traces with fixed ids and times on a test clock ({@link #T0} plus milliseconds). */
final class TestObjects {
  /** The test clock's zero: 2023-11-14T22:13:20Z in epoch nanoseconds. */
  static final long T0 = 1_700_000_000_000_000_000L;

  static final TraceId TRACE = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  static final TraceId TRACE_2 = TraceId.fromHex("5bf92f3577b34da6a3ce929d0e0e4737");
  static final TraceId TRACE_3 = TraceId.fromHex("6bf92f3577b34da6a3ce929d0e0e4738");
  static final TraceId TRACE_4 = TraceId.fromHex("7bf92f3577b34da6a3ce929d0e0e4739");

  static final String REQUEST_ID = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6";

  /** A browser's first request: frontend's root SERVER span that received nothing. */
  static final List<Span> FRONTEND =
      List.of(
          server("frontend", TRACE, 0x1, 0, 0, 100)
              .attributes(http("GET", "/checkout", null).put(SpanFacts.RECEIVED, strings()).build())
              .build());

  /** frontend calls orders over HTTP; orders joins the trace (tracecontext). */
  static final List<Span> INTACT_HTTP =
      List.of(
          FRONTEND.get(0),
          client("frontend", TRACE, 0x2, 0x1, 10, 90)
              .attributes(
                  httpClient("POST", "http://orders:8080/orders", "orders")
                      .put(SpanFacts.INJECTED, strings("tracecontext", "baggage", "xrequestid"))
                      .build())
              .build(),
          server("orders", TRACE, 0x3, 0x2, 12, 88)
              .attributes(
                  http("POST", "/orders", "/orders")
                      .put(SpanFacts.RECEIVED, strings("tracecontext", "baggage"))
                      .put(SpanFacts.USED, "tracecontext")
                      .put(SpanFacts.REMOTE_PARENT, "0000000000000002")
                      .build())
              .build());

  /**
   * frontend injected tracecontext; the mesh proxy in front of orders joined frontend's trace but
   * orders received nothing and started {@link #TRACE_2}. The x-request-id pairs the two sides.
   */
  static final List<Span> STRIPPED_AT_PROXY =
      List.of(
          FRONTEND.get(0),
          client("frontend", TRACE, 0x2, 0x1, 10, 90)
              .attributes(
                  httpClient("POST", "http://orders:8080/orders", "orders")
                      .put(SpanFacts.INJECTED, strings("tracecontext", "xrequestid"))
                      .build())
              .build(),
          Span.newBuilder()
              .traceId(TRACE)
              .spanId(0x4)
              .parentSpanId(0x2)
              .name("orders.default.svc.cluster.local:8080/*")
              .kind(SpanKind.CLIENT)
              .startEpochNanos(at(11))
              .endEpochNanos(at(89))
              .resource(resource("frontend-sidecar"))
              .attributes(
                  Attributes.newBuilder()
                      .put("component", "proxy")
                      .put("upstream_cluster", "outbound|8080||orders.default.svc.cluster.local")
                      .put("guid:x-request-id", REQUEST_ID)
                      .put("http.method", "POST")
                      .build())
              .build(),
          server("orders", TRACE_2, 0x5, 0, 12, 88)
              .attributes(
                  http("POST", "/orders", "/orders")
                      .put(SpanFacts.RECEIVED, strings("xrequestid"))
                      .put(SpanFacts.REQUEST_ID, strings(REQUEST_ID))
                      .build())
              .build());

  /** orders produces to Kafka (injected tracecontext); billing consumes it as a new trace. */
  static final List<Span> SPLIT_AT_KAFKA =
      List.of(
          server("orders", TRACE, 0x1, 0, 0, 50)
              .attributes(http("POST", "/orders", "/orders").build())
              .build(),
          span("orders", SpanKind.PRODUCER, TRACE, 0x2, 0x1, 5, 8)
              .name("orders.created publish")
              .attributes(
                  kafka("orders.created", "3", "42")
                      .put(SpanFacts.INJECTED, strings("tracecontext"))
                      .build())
              .build(),
          span("billing", SpanKind.CONSUMER, TRACE_2, 0x3, 0, 30, 40)
              .name("orders.created process")
              .attributes(
                  kafka("orders.created", "3", "42").put(SpanFacts.RECEIVED, strings()).build())
              .build());

  /** orders' span starts 50ms before the frontend client span that called it. */
  static final List<Span> SKEWED_CHILD =
      List.of(
          INTACT_HTTP.get(0),
          INTACT_HTTP.get(1),
          INTACT_HTTP.get(2).toBuilder().startEpochNanos(at(-40)).endEpochNanos(at(40)).build());

  // ---- builders

  static long at(long millis) {
    return T0 + millis * 1_000_000L;
  }

  static Resource resource(String service) {
    return Resource.create(Attributes.newBuilder().put("service.name", service).build());
  }

  static Span.Builder span(
      String service,
      SpanKind kind,
      TraceId trace,
      long id,
      long parent,
      long startMs,
      long endMs) {
    return Span.newBuilder()
        .traceId(trace)
        .spanId(id)
        .parentSpanId(parent)
        .name(service + " " + kind)
        .kind(kind)
        .startEpochNanos(at(startMs))
        .endEpochNanos(at(endMs))
        .resource(resource(service));
  }

  static Span.Builder server(
      String service, TraceId trace, long id, long parent, long startMs, long endMs) {
    return span(service, SpanKind.SERVER, trace, id, parent, startMs, endMs);
  }

  static Span.Builder client(
      String service, TraceId trace, long id, long parent, long startMs, long endMs) {
    return span(service, SpanKind.CLIENT, trace, id, parent, startMs, endMs);
  }

  static Attributes.Builder http(String method, String path, String route) {
    Attributes.Builder b = Attributes.newBuilder().put("http.request.method", method);
    if (path != null) b.put("url.path", path);
    if (route != null) b.put("http.route", route);
    return b.put("http.response.status_code", 200L);
  }

  static Attributes.Builder httpClient(String method, String url, String host) {
    return Attributes.newBuilder()
        .put("http.request.method", method)
        .put("url.full", url)
        .put("server.address", host)
        .put("http.response.status_code", 200L);
  }

  static Attributes.Builder kafka(String topic, String partition, String offset) {
    return Attributes.newBuilder()
        .put("messaging.system", "kafka")
        .put("messaging.destination.name", topic)
        .put("messaging.destination.partition.id", partition)
        .put("messaging.kafka.offset", Long.parseLong(offset));
  }

  static AttributeValue strings(String... values) {
    List<AttributeValue> list = new ArrayList<>();
    for (String v : values) list.add(AttributeValue.of(v));
    return AttributeValue.ofArray(list);
  }

  static Link link(TraceId trace, long spanId) {
    return Link.create(trace, spanId, Attributes.empty());
  }

  static Status error() {
    return Status.create(StatusCode.ERROR, "connection refused");
  }

  static List<Span> concat(List<Span> a, List<Span> b) {
    List<Span> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private TestObjects() {}
}
