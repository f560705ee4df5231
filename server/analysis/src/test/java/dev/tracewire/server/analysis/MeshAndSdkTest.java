package dev.tracewire.server.analysis;

import static dev.tracewire.server.analysis.TestObjects.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.TraceId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shapes from meshes, gateways and mixed SDKs (kit, plain OpenTelemetry, Brave). */
class MeshAndSdkTest {
  static AnalysisResult analyze(List<Span> spans) {
    return TraceIntegrity.analyze(spans);
  }

  static Span proxy(
      TraceId trace, long id, long parent, String service, SpanKind kind, String rid) {
    return Span.newBuilder()
        .traceId(trace)
        .spanId(id)
        .parentSpanId(parent)
        .name("frontend.shop.svc.cluster.local:8080/*")
        .kind(kind)
        .startEpochNanos(at(1))
        .endEpochNanos(at(99))
        .resource(resource(service))
        .attributes(
            Attributes.newBuilder()
                .put("component", "proxy")
                .put("upstream_cluster", "inbound|8080||")
                .put("guid:x-request-id", rid)
                .build())
        .build();
  }

  /** The browser sent nothing; the ingress gateway started the trace; frontend joined it. */
  static final List<Span> BEHIND_INGRESS =
      List.of(
          proxy(TRACE, 0xa, 0, "istio-ingressgateway.istio-system", SpanKind.SERVER, REQUEST_ID),
          proxy(TRACE, 0xb, 0xa, "frontend.shop", SpanKind.SERVER, REQUEST_ID),
          server("frontend", TRACE, 0x1, 0xb, 2, 98)
              .attributes(
                  http("GET", "/checkout", "/checkout")
                      .put(SpanFacts.RECEIVED, strings("tracecontext", "b3multi", "xrequestid"))
                      .put(SpanFacts.USED, "tracecontext")
                      .put(SpanFacts.REMOTE_PARENT, "000000000000000b")
                      .put(SpanFacts.REQUEST_ID, strings(REQUEST_ID))
                      .build())
              .build());

  @Test
  void ingressGatewayStartsTheTrace_legitimateRoot_noFinding() {
    assertThat(analyze(BEHIND_INGRESS).findings()).isEmpty();
  }

  @Test
  void requestIdForwardedByCaller_pairsExactlyWithoutMesh() {
    // checkout's client span names no request id, but it injected xrequestid: the id of the
    // request frontend is serving went with it
    List<Span> spans =
        concat(
            BEHIND_INGRESS,
            List.of(
                client("frontend", TRACE, 0x2, 0x1, 10, 90)
                    .attributes(
                        httpClient(
                                "POST",
                                "http://checkout.shop.svc.cluster.local:8080/api/checkout",
                                "checkout.shop.svc.cluster.local")
                            .put(
                                SpanFacts.INJECTED,
                                strings("tracecontext", "b3multi", "xrequestid"))
                            .build())
                    .build(),
                server("checkout", TRACE_2, 0x5, 0, 12, 88)
                    .attributes(
                        http("POST", "/api/checkout", "/api/checkout")
                            .put(SpanFacts.RECEIVED, strings("xrequestid"))
                            .put(SpanFacts.REQUEST_ID, strings(REQUEST_ID))
                            .build())
                    .build()));

    AnalysisResult r = analyze(spans);

    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_STRIPPED);
              assertThat(f.blame()).isEqualTo(Blame.PATH);
              assertThat(f.pairing()).isEqualTo(Pairing.EXACT);
              assertThat(f.hop()).isEqualTo(new Hop("frontend", "checkout", Transport.HTTP));
            });
  }

  @Test
  void formatMismatch_braveCalleeStartedA64BitTrace_callerSentOnlyTracecontext() {
    List<Span> spans =
        List.of(
            client("frontend", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    httpClient(
                            "GET",
                            "http://catalog.shop.svc.cluster.local:8080/api/products/7",
                            "catalog.shop.svc.cluster.local")
                        .put(SpanFacts.INJECTED, strings("tracecontext"))
                        .build())
                .build(),
            server("catalog", TraceId.fromHex("00000000000000000000000000000abc"), 0x5, 0, 11, 89)
                .attributes(
                    Attributes.newBuilder()
                        .put("http.method", "GET")
                        .put("http.path", "/api/products/7")
                        .put("network.local.address", "10.0.1.13")
                        .build())
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(FindingKind.FORMAT_MISMATCH);
              assertThat(f.blame()).isEqualTo(Blame.CALLEE_CONFIG);
              assertThat(f.pairing()).isEqualTo(Pairing.HEURISTIC);
            });
  }

  @Test
  void fanOut_oneSubscriberJoined_anotherBroke_stillPairedToTheProducer() {
    Attributes mqtt =
        Attributes.newBuilder()
            .put("messaging.system", "mqtt")
            .put("messaging.destination.name", "audit/checkout")
            .build();
    List<Span> spans =
        List.of(
            span("checkout", SpanKind.PRODUCER, TRACE, 0x1, 0, 0, 1)
                .attributes(
                    Attributes.newBuilder()
                        .putAll(mqtt)
                        .put(SpanFacts.INJECTED, strings("tracecontext", "b3multi"))
                        .build())
                .build(),
            span("audit", SpanKind.CONSUMER, TRACE, 0x2, 0x1, 5, 6).attributes(mqtt).build(),
            span("compliance", SpanKind.CONSUMER, TRACE_2, 0x3, 0, 7, 8).attributes(mqtt).build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.hop()).isEqualTo(new Hop("checkout", "compliance", Transport.MQTT));
              assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_STRIPPED);
              assertThat(f.pairing()).isEqualTo(Pairing.HEURISTIC);
            });
    assertThat(r.edgeTotals())
        .extracting(e -> e.edge().to() + " " + e.intact() + "/" + e.broken())
        .containsExactlyInAnyOrder("audit 1/0", "compliance 0/1");
  }

  @Test
  void missingSpanInMesh_callerSidecarIsTheOrphan_namesTheMissingExit() {
    List<Span> spans =
        List.of(
            FRONTEND.get(0),
            // frontend's client span 0x2 was lost; its sidecar and orders' sidecar were reported
            NotABreakTest.proxy(TRACE, 0x4, 0x2, "frontend.shop", SpanKind.CLIENT),
            NotABreakTest.proxy(TRACE, 0x5, 0x4, "orders.shop", SpanKind.SERVER),
            server("orders", TRACE, 0x3, 0x5, 12, 88)
                .attributes(http("POST", "/orders", "/orders").build())
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(FindingKind.MISSING_SPAN);
              assertThat(f.spanIds()).containsExactly("0000000000000002", "0000000000000003");
              assertThat(f.hop()).isEqualTo(new Hop("frontend", "orders", Transport.HTTP));
            });
  }

  @Test
  void unpairedExit_clusterHost_namedByItsService() {
    List<Span> spans =
        List.of(
            client("checkout", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    httpClient(
                            "POST",
                            "http://loyalty.shop.svc.cluster.local:8080/points",
                            "loyalty.shop.svc.cluster.local")
                        .build())
                .build());

    assertThat(analyze(spans).findings())
        .singleElement()
        .satisfies(f -> assertThat(f.hop().to()).isEqualTo("loyalty"));
  }

  @Test
  void meshNotInjected_callerSidecarStartsTheTrace_blamesCaller() {
    List<Span> spans =
        List.of(
            client("frontend", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    httpClient(
                            "POST",
                            "http://payments.shop.svc.cluster.local:8080/api/charges",
                            "payments.shop.svc.cluster.local")
                        .put(SpanFacts.INJECTED, strings())
                        .build())
                .build(),
            proxy(
                TRACE_2,
                0x6,
                0,
                "frontend.shop",
                SpanKind.CLIENT,
                "11111111-2222-3333-4444-555555555555"),
            proxy(
                TRACE_2,
                0x7,
                0x6,
                "payments.shop",
                SpanKind.SERVER,
                "11111111-2222-3333-4444-555555555555"),
            server("payments", TRACE_2, 0x8, 0x7, 12, 88)
                .attributes(
                    http("POST", "/api/charges", "/api/charges")
                        .put("server.address", "payments.shop.svc.cluster.local")
                        .put(SpanFacts.RECEIVED, strings("tracecontext", "b3multi", "xrequestid"))
                        .put(SpanFacts.USED, "tracecontext")
                        .build())
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_NOT_INJECTED);
              assertThat(f.blame()).isEqualTo(Blame.CALLER);
              assertThat(f.pairing()).isEqualTo(Pairing.HEURISTIC);
            });
  }
}
