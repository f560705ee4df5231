package dev.tracewire.server.ui.browser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Named traffic for the browser test: an HTTP hop whose context is stripped on the way (one trace
 * split in two), a Kafka hop joined by a link, a hop with a skewed clock, and span data carrying
 * script and HTML payloads.
 */
final class Fixtures {
  static final int INTERNAL = 1;
  static final int SERVER = 2;
  static final int CLIENT = 3;
  static final int PRODUCER = 4;
  static final int CONSUMER = 5;

  /** Each would set window.__pwned if the page ever parsed span data as HTML. */
  static final String NAME_PAYLOAD = "<img src=x onerror=\"window.__pwned='name'\">";

  static final String ATTRIBUTE_PAYLOAD = "<script>window.__pwned='attr'</script><b>bold</b>";
  static final String SERVICE_PAYLOAD = "<svg onload=\"window.__pwned='service'\">";

  final String splitFront = Otlp.traceId(); // frontend → orders → (stripped) …
  final String splitBack = Otlp.traceId(); // … payments, in a trace of its own
  final String strippedExit = Otlp.spanId();
  final String strippedEntry = Otlp.spanId();
  final String kafkaProducerTrace = Otlp.traceId();
  final String kafkaConsumerTrace = Otlp.traceId();
  final String kafkaProducer = Otlp.spanId();
  final String skewedTrace = Otlp.traceId();

  /** Adds every fixture trace to {@code otlp}, times around {@code nowNanos}. */
  void addTo(Otlp otlp, long nowNanos) {
    long ms = 1_000_000L;
    long t = nowNanos - 2_000 * ms;
    String requestId = UUID.randomUUID().toString();

    String a1 = Otlp.spanId();
    String a2 = Otlp.spanId();
    String a3 = Otlp.spanId();
    String evil = Otlp.spanId();
    String evilEntry = Otlp.spanId();
    String xss = Otlp.spanId();
    otlp.span(
        "frontend",
        splitFront,
        a1,
        null,
        "GET /checkout",
        SERVER,
        t,
        t + 120 * ms,
        attrs("http.route", "/checkout", "http.request.method", "GET"),
        false,
        null);
    otlp.span(
        "frontend",
        splitFront,
        a2,
        a1,
        "POST",
        CLIENT,
        t + 5 * ms,
        t + 100 * ms,
        attrs(
            "server.address",
            "orders",
            "http.request.method",
            "POST",
            "url.full",
            "http://orders:8080/orders",
            "tracewire.propagation.injected",
            List.of("tracecontext")),
        false,
        null);
    otlp.span(
        "orders",
        splitFront,
        a3,
        a2,
        "POST /orders",
        SERVER,
        t + 10 * ms,
        t + 95 * ms,
        attrs(
            "http.route",
            "/orders",
            "http.request.method",
            "POST",
            "tracewire.propagation.received",
            List.of("tracecontext"),
            "tracewire.propagation.used",
            "tracecontext",
            "tracewire.propagation.remote_parent",
            a2),
        false,
        null);
    otlp.span(
        "orders",
        splitFront,
        strippedExit,
        a3,
        "POST",
        CLIENT,
        t + 20 * ms,
        t + 80 * ms,
        attrs(
            "server.address",
            "payments",
            "http.request.method",
            "POST",
            "url.full",
            "http://payments:8080/charge",
            "http.response.status_code",
            200L,
            "tracewire.propagation.injected",
            List.of("tracecontext", "xrequestid"),
            "http.request.header.x-request-id",
            List.of(requestId)),
        false,
        null);
    otlp.span(
        "orders",
        splitFront,
        xss,
        a3,
        NAME_PAYLOAD,
        INTERNAL,
        t + 82 * ms,
        t + 90 * ms,
        attrs("note", ATTRIBUTE_PAYLOAD),
        true,
        null);
    otlp.span(
        "frontend",
        splitFront,
        evil,
        a1,
        "GET",
        CLIENT,
        t + 101 * ms,
        t + 118 * ms,
        attrs(
            "server.address",
            "evil",
            "http.request.method",
            "GET",
            "url.full",
            "http://evil/x",
            "tracewire.propagation.injected",
            List.of("tracecontext")),
        false,
        null);
    otlp.span(
        SERVICE_PAYLOAD,
        splitFront,
        evilEntry,
        evil,
        "GET /x",
        SERVER,
        t + 103 * ms,
        t + 116 * ms,
        attrs(
            "http.route",
            "/x",
            "http.request.method",
            "GET",
            "tracewire.propagation.received",
            List.of("tracecontext"),
            "tracewire.propagation.used",
            "tracecontext",
            "tracewire.propagation.remote_parent",
            evil),
        false,
        null);
    otlp.span(
        "payments",
        splitBack,
        strippedEntry,
        null,
        "POST /charge",
        SERVER,
        t + 25 * ms,
        t + 75 * ms,
        attrs(
            "http.route",
            "/charge",
            "url.path",
            "/charge",
            "http.request.method",
            "POST",
            "http.response.status_code",
            200L,
            "tracewire.propagation.received",
            List.of("xrequestid"),
            "http.request.header.x-request-id",
            List.of(requestId)),
        false,
        null);

    String producer = kafkaProducer;
    otlp.span(
        "orders",
        kafkaProducerTrace,
        producer,
        null,
        "orders.created publish",
        PRODUCER,
        t + 30 * ms,
        t + 31 * ms,
        attrs(
            "messaging.system",
            "kafka",
            "messaging.destination.name",
            "orders.created",
            "messaging.destination.partition.id",
            "0",
            "messaging.kafka.offset",
            7L,
            "tracewire.propagation.injected",
            List.of("tracecontext")),
        false,
        null);
    otlp.span(
        "billing",
        kafkaConsumerTrace,
        Otlp.spanId(),
        null,
        "orders.created process",
        CONSUMER,
        t + 40 * ms,
        t + 60 * ms,
        attrs(
            "messaging.system",
            "kafka",
            "messaging.destination.name",
            "orders.created",
            "messaging.batch.message_count",
            1L,
            "tracewire.propagation.received",
            List.of("tracecontext")),
        false,
        List.<String[]>of(new String[] {kafkaProducerTrace, producer}));

    // inventory's clock runs 300 ms behind: its entry span starts before the call that caused it
    String s1 = Otlp.spanId();
    String s2 = Otlp.spanId();
    otlp.span(
        "frontend",
        skewedTrace,
        s1,
        null,
        "GET /stock",
        SERVER,
        t,
        t + 60 * ms,
        attrs("http.route", "/stock"),
        false,
        null);
    String s3 = Otlp.spanId();
    otlp.span(
        "frontend",
        skewedTrace,
        s2,
        s1,
        "GET",
        CLIENT,
        t + 5 * ms,
        t + 55 * ms,
        attrs(
            "server.address",
            "inventory",
            "http.request.method",
            "GET",
            "tracewire.propagation.injected",
            List.of("tracecontext")),
        false,
        null);
    otlp.span(
        "inventory",
        skewedTrace,
        s3,
        s2,
        "GET /stock/{sku}",
        SERVER,
        t - 290 * ms,
        t - 250 * ms,
        attrs(
            "http.route",
            "/stock/{sku}",
            "http.request.method",
            "GET",
            "tracewire.propagation.received",
            List.of("tracecontext"),
            "tracewire.propagation.used",
            "tracecontext",
            "tracewire.propagation.remote_parent",
            s2),
        false,
        null);
  }

  static Map<String, Object> attrs(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
    return m;
  }
}
