package dev.tracewire.server.analysis;

import static dev.tracewire.server.analysis.TestObjects.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shapes that look like breaks but are not: each yields no finding. */
class NotABreakTest {
  static AnalysisResult analyze(List<Span> spans) {
    return TraceIntegrity.analyze(spans);
  }

  static Span producer(String service, TraceIdAndId at, String topic, long startMs) {
    return span(service, SpanKind.PRODUCER, at.trace(), at.id(), at.parent(), startMs, startMs + 2)
        .name(topic + " publish")
        .attributes(
            Attributes.newBuilder()
                .put("messaging.system", "rabbitmq")
                .put("messaging.destination.name", topic)
                .build())
        .build();
  }

  record TraceIdAndId(dev.tracewire.server.model.TraceId trace, long id, long parent) {}

  @Test
  void browserFirstRequest_newRoot_noFinding() {
    assertThat(analyze(FRONTEND).findings()).isEmpty();
  }

  @Test
  void scheduledJob_internalRoot_noFinding() {
    List<Span> spans =
        List.of(
            span("reports", SpanKind.INTERNAL, TRACE, 0x1, 0, 0, 500).name("nightly").build(),
            client("reports", TRACE, 0x2, 0x1, 10, 90)
                .attributes(httpClient("GET", "http://orders:8080/orders", "orders").build())
                .build(),
            server("orders", TRACE, 0x3, 0x2, 11, 89)
                .attributes(http("GET", "/orders", "/orders").build())
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings()).isEmpty();
    assertThat(r.edgeTotals()).singleElement().satisfies(e -> assertThat(e.intact()).isEqualTo(1));
  }

  @Test
  void batchConsumer_linksEveryProducer_intactMessagingEdges() {
    List<Span> spans =
        List.of(
            producer("orders", new TraceIdAndId(TRACE, 0x1, 0), "invoices", 0),
            producer("orders", new TraceIdAndId(TRACE_2, 0x2, 0), "invoices", 5),
            producer("refunds", new TraceIdAndId(TRACE_3, 0x3, 0), "invoices", 7),
            span("billing", SpanKind.CONSUMER, TRACE_4, 0x4, 0, 50, 80)
                .name("invoices process")
                .attributes(
                    Attributes.newBuilder()
                        .put("messaging.system", "rabbitmq")
                        .put("messaging.destination.name", "invoices")
                        .put("messaging.batch.message_count", 3L)
                        .build())
                .links(List.of(link(TRACE, 0x1), link(TRACE_2, 0x2), link(TRACE_3, 0x3)))
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings()).isEmpty();
    assertThat(r.edgeTotals())
        .extracting(
            e ->
                e.edge().from()
                    + "->"
                    + e.edge().to()
                    + " "
                    + e.edge().transport().wireName()
                    + " "
                    + e.edge().destination()
                    + " "
                    + e.intact())
        .containsExactlyInAnyOrder(
            "orders->billing rabbitmq invoices 2", "refunds->billing rabbitmq invoices 1");
  }

  @Test
  void batchConsumer_linkArrivesBeforeProducerTrace_stillIntact() {
    TraceIntegrity integrity = TraceIntegrity.newBuilder().build();
    Span consumer =
        span("billing", SpanKind.CONSUMER, TRACE_4, 0x4, 0, 50, 80)
            .attributes(Attributes.newBuilder().put("messaging.system", "rabbitmq").build())
            .links(List.of(link(TRACE, 0x1)))
            .build();
    integrity.add(List.of(consumer), at(0));
    AnalysisResult first = integrity.poll(at(40_000));
    integrity.add(
        List.of(producer("orders", new TraceIdAndId(TRACE, 0x1, 0), "invoices", 0)), at(41_000));
    AnalysisResult second = integrity.flush(at(42_000));

    assertThat(first.findings()).isEmpty();
    assertThat(second.findings()).isEmpty();
    assertThat(first.plus(second).edgeTotals())
        .singleElement()
        .satisfies(e -> assertThat(e.intact()).isEqualTo(1));
  }

  @Test
  void fireAndForget_producerWithoutConsumer_noFinding() {
    assertThat(
            analyze(List.of(producer("orders", new TraceIdAndId(TRACE, 0x1, 0), "audit", 0)))
                .findings())
        .isEmpty();
  }

  @Test
  void fanOut_oneProducerManySubscribers_allIntact() {
    Span published = producer("orders", new TraceIdAndId(TRACE, 0x1, 0), "orders.created", 0);
    List<Span> spans =
        List.of(
            published,
            span("billing", SpanKind.CONSUMER, TRACE, 0x2, 0x1, 10, 20).build(),
            span("shipping", SpanKind.CONSUMER, TRACE, 0x3, 0x1, 11, 20).build(),
            span("email", SpanKind.CONSUMER, TRACE, 0x4, 0x1, 30, 40).build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings()).isEmpty();
    assertThat(r.edgeTotals()).hasSize(3).allSatisfy(e -> assertThat(e.intact()).isEqualTo(1));
  }

  @Test
  void retries_failedAttemptNeverReachedPeer_noFinding() {
    List<Span> spans =
        List.of(
            FRONTEND.get(0),
            client("frontend", TRACE, 0x2, 0x1, 10, 20)
                .name("POST")
                .attributes(
                    Attributes.newBuilder()
                        .put("http.request.method", "POST")
                        .put("server.address", "orders")
                        .put("error.type", "java.net.ConnectException")
                        .build())
                .status(error())
                .build(),
            client("frontend", TRACE, 0x3, 0x1, 30, 90)
                .name("POST")
                .attributes(httpClient("POST", "http://orders:8080/orders", "orders").build())
                .build(),
            server("orders", TRACE, 0x4, 0x3, 31, 89)
                .attributes(http("POST", "/orders", "/orders").build())
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings()).isEmpty();
    assertThat(r.edgeTotals()).singleElement().satisfies(e -> assertThat(e.intact()).isEqualTo(1));
  }

  @Test
  void retries_timedOutAttemptWithoutEntry_isRetryOfPairedSibling() {
    List<Span> spans =
        List.of(
            FRONTEND.get(0),
            client("frontend", TRACE, 0x2, 0x1, 10, 20)
                .name("POST")
                .attributes(httpClient("POST", "http://orders:8080/orders", "orders").build())
                .build(),
            client("frontend", TRACE, 0x3, 0x1, 30, 90)
                .name("POST")
                .attributes(httpClient("POST", "http://orders:8080/orders", "orders").build())
                .build(),
            server("orders", TRACE, 0x4, 0x3, 31, 89)
                .attributes(http("POST", "/orders", "/orders").build())
                .build());

    assertThat(analyze(spans).findings()).isEmpty();
  }

  @Test
  void databaseAndCache_leafPeers_noFinding() {
    List<Span> spans =
        List.of(
            FRONTEND.get(0),
            client("frontend", TRACE, 0x2, 0x1, 10, 20)
                .name("SELECT orders")
                .attributes(Attributes.newBuilder().put("db.system", "postgresql").build())
                .build(),
            client("frontend", TRACE, 0x3, 0x1, 21, 22)
                .name("GET")
                .attributes(Attributes.newBuilder().put("db.system", "redis").build())
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings()).isEmpty();
    assertThat(r.edges()).isEmpty();
  }

  @Test
  void meshProxiesInsideHop_partOfTheHop() {
    List<Span> spans =
        List.of(
            FRONTEND.get(0),
            INTACT_HTTP.get(1),
            proxy(TRACE, 0x4, 0x2, "frontend.default", SpanKind.CLIENT),
            proxy(TRACE, 0x5, 0x4, "orders.default", SpanKind.SERVER),
            server("orders", TRACE, 0x3, 0x5, 12, 88)
                .attributes(http("POST", "/orders", "/orders").build())
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings()).isEmpty();
    assertThat(r.edgeTotals())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.edge()).isEqualTo(new Edge("frontend", "orders", Transport.HTTP, ""));
              assertThat(e.intact()).isEqualTo(1);
            });
  }

  @Test
  void zipkinSharedSpan_clientAndServerShareId_intact() {
    List<Span> spans =
        List.of(
            client("frontend", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    Attributes.newBuilder()
                        .put("http.method", "GET")
                        .put("http.path", "/a")
                        .build())
                .build(),
            server("orders", TRACE, 0x2, 0, 11, 89)
                .attributes(
                    Attributes.newBuilder()
                        .put("http.method", "GET")
                        .put("http.path", "/a")
                        .put("zipkin.shared", true)
                        .build())
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings()).isEmpty();
    assertThat(r.edgeTotals()).singleElement().satisfies(e -> assertThat(e.intact()).isEqualTo(1));
  }

  @Test
  void trustBoundary_newRootLinkedToCaller_notABreak() {
    List<Span> spans =
        List.of(
            INTACT_HTTP.get(0),
            INTACT_HTTP.get(1),
            server("orders", TRACE_2, 0x3, 0, 12, 88)
                .attributes(
                    http("POST", "/orders", "/orders")
                        .put(SpanFacts.RECEIVED, strings("tracecontext"))
                        .put(SpanFacts.USED, "tracecontext")
                        .put(SpanFacts.REMOTE_PARENT, "0000000000000002")
                        .build())
                .links(List.of(link(TRACE, 0x2)))
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings()).isEmpty();
    assertThat(r.edgeTotals()).singleElement().satisfies(e -> assertThat(e.intact()).isEqualTo(1));
  }

  @Test
  void lateFragment_parentInEarlierFragment_noMissingSpan() {
    TraceIntegrity integrity = TraceIntegrity.newBuilder().build();
    integrity.add(List.of(INTACT_HTTP.get(0), INTACT_HTTP.get(1)), at(0));
    AnalysisResult first = integrity.poll(at(10_000));
    integrity.add(List.of(INTACT_HTTP.get(2)), at(11_000));
    AnalysisResult second = integrity.flush(at(12_000));

    assertThat(first.findings()).isEmpty();
    assertThat(second.findings()).isEmpty();
    assertThat(second.edgeTotals())
        .singleElement()
        .satisfies(e -> assertThat(e.intact()).isEqualTo(1));
  }

  @Test
  void lateParent_orphanWaitsForItsParentsFragment() {
    TraceIntegrity integrity = TraceIntegrity.newBuilder().build();
    integrity.add(List.of(INTACT_HTTP.get(0), INTACT_HTTP.get(2)), at(0));
    AnalysisResult first = integrity.poll(at(10_000));
    integrity.add(List.of(INTACT_HTTP.get(1)), at(11_000));
    AnalysisResult second = integrity.flush(at(12_000));

    assertThat(first.findings()).isEmpty();
    assertThat(second.findings()).isEmpty();
    assertThat(first.plus(second).edgeTotals())
        .singleElement()
        .satisfies(e -> assertThat(e.intact()).isEqualTo(1));
  }

  @Test
  void receiveSpanStartsATrace_processSpansLinkToProducers_notABreak() {
    Attributes kafka =
        Attributes.newBuilder()
            .put("messaging.system", "kafka")
            .put("messaging.destination.name", "orders.created")
            .build();
    List<Span> spans =
        List.of(
            span("orders", SpanKind.PRODUCER, TRACE, 0x1, 0, 0, 2).attributes(kafka).build(),
            span("billing", SpanKind.CONSUMER, TRACE_2, 0x2, 0, 10, 12)
                .name("orders.created receive")
                .attributes(kafka)
                .build(),
            span("billing", SpanKind.CONSUMER, TRACE_2, 0x3, 0x2, 12, 14)
                .name("orders.created process")
                .attributes(kafka)
                .links(List.of(link(TRACE, 0x1)))
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings()).isEmpty();
    assertThat(r.edgeTotals())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.edge())
                  .isEqualTo(new Edge("orders", "billing", Transport.KAFKA, "orders.created"));
              assertThat(e.intact()).isEqualTo(1);
            });
  }

  static Span proxy(
      dev.tracewire.server.model.TraceId trace,
      long id,
      long parent,
      String service,
      SpanKind kind) {
    return Span.newBuilder()
        .traceId(trace)
        .spanId(id)
        .parentSpanId(parent)
        .name("orders.default.svc.cluster.local:8080/*")
        .kind(kind)
        .startEpochNanos(at(11))
        .endEpochNanos(at(89))
        .resource(resource(service))
        .attributes(
            Attributes.newBuilder()
                .put("component", "proxy")
                .put("upstream_cluster", "outbound|8080||orders.default.svc.cluster.local")
                .put("http.method", "POST")
                .build())
        .build();
  }
}
