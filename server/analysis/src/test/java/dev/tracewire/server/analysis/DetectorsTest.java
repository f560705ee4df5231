package dev.tracewire.server.analysis;

import static dev.tracewire.server.analysis.TestObjects.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every finding kind, with blame as precise as each fixture's evidence allows. */
class DetectorsTest {
  static AnalysisResult analyze(List<Span> spans) {
    return TraceIntegrity.analyze(spans);
  }

  static Finding only(AnalysisResult result) {
    assertThat(result.findings()).hasSize(1);
    return result.findings().get(0);
  }

  @Test
  void intactHttp_noFinding_edgeIntact() {
    AnalysisResult r = analyze(INTACT_HTTP);

    assertThat(r.findings()).isEmpty();
    assertThat(r.traces()).isEqualTo(1);
    assertThat(r.spans()).isEqualTo(3);
    assertThat(r.edgeTotals())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.edge()).isEqualTo(new Edge("frontend", "orders", Transport.HTTP, ""));
              assertThat(e.intact()).isEqualTo(1);
              assertThat(e.broken()).isZero();
            });
  }

  @Test
  void strippedAtProxy_pairedByRequestId_blamesPath() {
    Finding f = only(analyze(STRIPPED_AT_PROXY));

    assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_STRIPPED);
    assertThat(f.blame()).isEqualTo(Blame.PATH);
    assertThat(f.hop()).isEqualTo(new Hop("frontend", "orders", Transport.HTTP));
    assertThat(f.traceIds()).containsExactly(TRACE.toHex(), TRACE_2.toHex());
    assertThat(f.spanIds()).containsExactly("0000000000000002", "0000000000000005");
    assertThat(f.pairing()).isEqualTo(Pairing.EXACT);
    assertThat(f.evidence()).contains("x-request-id " + REQUEST_ID).contains("[tracecontext]");
    assertThat(f.hint()).contains("frontend").contains("orders").contains("tracecontext");
  }

  @Test
  void strippedAtProxy_edgeCountsBroken() {
    AnalysisResult r = analyze(STRIPPED_AT_PROXY);

    assertThat(r.edgeTotals())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.edge().from()).isEqualTo("frontend");
              assertThat(e.edge().to()).isEqualTo("orders");
              assertThat(e.intact()).isZero();
              assertThat(e.broken()).isEqualTo(1);
              assertThat(e.byKind()).containsEntry(FindingKind.CONTEXT_STRIPPED, 1L);
              assertThat(e.ratio()).isZero();
            });
  }

  @Test
  void splitAtKafka_pairedByPartitionOffset_blamesPath() {
    Finding f = only(analyze(SPLIT_AT_KAFKA));

    assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_STRIPPED);
    assertThat(f.blame()).isEqualTo(Blame.PATH);
    assertThat(f.hop()).isEqualTo(new Hop("orders", "billing", Transport.KAFKA));
    assertThat(f.pairing()).isEqualTo(Pairing.EXACT);
    assertThat(f.evidence()).contains("partition 3 offset 42");
  }

  @Test
  void splitAtKafka_edgeCarriesTopic() {
    AnalysisResult r = analyze(SPLIT_AT_KAFKA);

    assertThat(r.edges())
        .singleElement()
        .satisfies(e -> assertThat(e.edge().destination()).isEqualTo("orders.created"));
  }

  @Test
  void notInjected_callerInjectedNothing_blamesCaller() {
    List<Span> spans =
        List.of(
            client("frontend", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    httpClient("POST", "http://orders:8080/orders", "orders")
                        .put(SpanFacts.INJECTED, strings())
                        .build())
                .build(),
            server("orders", TRACE_2, 0x5, 0, 12, 88)
                .attributes(
                    http("POST", "/orders", "/orders").put(SpanFacts.RECEIVED, strings()).build())
                .build());

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_NOT_INJECTED);
    assertThat(f.blame()).isEqualTo(Blame.CALLER);
    assertThat(f.pairing()).isEqualTo(Pairing.HEURISTIC);
    assertThat(f.evidence()).contains("peer orders").contains("method POST");
  }

  @Test
  void notExtracted_calleeUsedContextButStartedNewTrace_pairedByRemoteParent() {
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
                .build());

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_NOT_EXTRACTED);
    assertThat(f.blame()).isEqualTo(Blame.CALLEE);
    assertThat(f.hop()).isEqualTo(new Hop("frontend", "orders", Transport.HTTP));
    assertThat(f.pairing()).isEqualTo(Pairing.EXACT);
    assertThat(f.evidence()).contains("remote_parent 0000000000000002");
  }

  @Test
  void formatMismatch_calleeReceivedOnlyB3_blamesCalleeConfig() {
    List<Span> spans =
        List.of(
            client("frontend", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    httpClient("GET", "http://payments/pay/42", "payments")
                        .put(SpanFacts.INJECTED, strings("b3"))
                        .build())
                .build(),
            server("payments", TRACE_2, 0x5, 0, 12, 88)
                .attributes(
                    http("GET", null, "/pay/{id}").put(SpanFacts.RECEIVED, strings("b3")).build())
                .build());

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.FORMAT_MISMATCH);
    assertThat(f.blame()).isEqualTo(Blame.CALLEE_CONFIG);
    assertThat(f.hint())
        .isEqualTo(
            "payments receives only b3; enable tracecontext,b3 in its otel.propagators or use the"
                + " tracewire propagator.");
  }

  @Test
  void formatMismatch_withoutCalleeDiagnostics_callerSentOnlyB3() {
    List<Span> spans =
        List.of(
            client("frontend", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    httpClient("GET", "http://payments/pay/42", "payments")
                        .put(SpanFacts.INJECTED, strings("b3"))
                        .build())
                .build(),
            server("payments", TRACE_2, 0x5, 0, 12, 88)
                .attributes(http("GET", null, "/pay/{id}").build())
                .build());

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.FORMAT_MISMATCH);
    assertThat(f.blame()).isEqualTo(Blame.CALLEE_CONFIG);
  }

  @Test
  void conflict_onIntactHop_callerReportsInjection_blamesPath() {
    List<Span> spans =
        List.of(
            INTACT_HTTP.get(0),
            INTACT_HTTP.get(1),
            INTACT_HTTP.get(2).toBuilder()
                .attributes(
                    http("POST", "/orders", "/orders")
                        .put(SpanFacts.RECEIVED, strings("tracecontext", "b3"))
                        .put(SpanFacts.USED, "tracecontext")
                        .put(SpanFacts.CONFLICT, strings("b3"))
                        .build())
                .build());

    AnalysisResult r = analyze(spans);
    Finding f = only(r);

    assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_CONFLICT);
    assertThat(f.blame()).isEqualTo(Blame.PATH);
    assertThat(f.hint()).contains("tracecontext vs b3");
    assertThat(r.edgeTotals().get(0).intact()).isEqualTo(1);
    assertThat(r.edgeTotals().get(0).broken()).isZero();
  }

  @Test
  void conflict_callerWithoutDiagnostics_blamesCallerOrPath() {
    List<Span> spans =
        List.of(
            INTACT_HTTP.get(0),
            INTACT_HTTP.get(1).toBuilder()
                .attributes(httpClient("POST", "http://orders:8080/orders", "orders").build())
                .build(),
            INTACT_HTTP.get(2).toBuilder()
                .attributes(
                    http("POST", "/orders", "/orders")
                        .put(SpanFacts.RECEIVED, strings("tracecontext", "b3"))
                        .put(SpanFacts.USED, "tracecontext")
                        .put(SpanFacts.CONFLICT, strings("b3"))
                        .build())
                .build());

    assertThat(only(analyze(spans)).blame()).isEqualTo(Blame.CALLER_OR_PATH);
  }

  @Test
  void missingSpan_parentNeverArrived_blamesReporter() {
    List<Span> spans =
        List.of(
            FRONTEND.get(0),
            // frontend's client span 0x2 was dropped by its exporter
            INTACT_HTTP.get(2));

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.MISSING_SPAN);
    assertThat(f.blame()).isEqualTo(Blame.REPORTER);
    assertThat(f.hop().from()).isEqualTo("frontend");
    assertThat(f.hop().to()).isEqualTo("orders");
    assertThat(f.evidence()).contains("0000000000000002");
  }

  @Test
  void samplingSplit_upstreamNotSampled_calleeSampledAnyway() {
    List<Span> spans =
        concat(
            INTACT_HTTP, // teaches that frontend calls orders' POST /orders
            List.of(
                server("orders", TRACE_3, 0x7, 0x6, 1000, 1050)
                    .attributes(http("POST", "/orders", "/orders").build())
                    .build()));

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.SAMPLING_SPLIT);
    assertThat(f.blame()).isEqualTo(Blame.CALLEE);
    assertThat(f.hop()).isEqualTo(new Hop("frontend", "orders", Transport.HTTP));
    assertThat(f.traceIds()).containsExactly(TRACE_3.toHex());
  }

  @Test
  void samplingSplit_calleeDroppedSampledCall() {
    List<Span> spans =
        concat(
            INTACT_HTTP,
            List.of(
                server("frontend", TRACE_3, 0x11, 0, 1000, 1100)
                    .attributes(http("GET", "/checkout", null).build())
                    .build(),
                client("frontend", TRACE_3, 0x12, 0x11, 1010, 1090)
                    .attributes(httpClient("POST", "http://orders:8080/orders", "orders").build())
                    .build()));

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.SAMPLING_SPLIT);
    assertThat(f.hop()).isEqualTo(new Hop("frontend", "orders", Transport.HTTP));
    assertThat(f.spanIds()).containsExactly("0000000000000012");
  }

  @Test
  void unpairedExit_externalPeer_informational() {
    List<Span> spans =
        List.of(
            FRONTEND.get(0),
            client("frontend", TRACE, 0x2, 0x1, 10, 90)
                .attributes(
                    httpClient("POST", "https://api.stripe.com/v1/charges", "api.stripe.com")
                        .build())
                .build());

    AnalysisResult r = analyze(spans);
    Finding f = only(r);

    assertThat(f.kind()).isEqualTo(FindingKind.UNPAIRED_EXIT);
    assertThat(f.blame()).isEqualTo(Blame.INFORMATIONAL);
    assertThat(f.hop()).isEqualTo(new Hop("frontend", "api.stripe.com", Transport.HTTP));
    assertThat(r.edgeTotals().get(0).broken()).isZero();
  }

  @Test
  void skewedChild_clockSkew_informational_hopIntact() {
    AnalysisResult r = analyze(SKEWED_CHILD);
    Finding f = only(r);

    assertThat(f.kind()).isEqualTo(FindingKind.CLOCK_SKEW);
    assertThat(f.blame()).isEqualTo(Blame.INFORMATIONAL);
    assertThat(f.evidence()).contains("starts 50.0ms before");
    assertThat(r.edgeTotals().get(0).intact()).isEqualTo(1);
  }

  @Test
  void plainOtel_noDiagnostics_pairedByRouteTemplate_blamesCallerOrPath() {
    List<Span> spans =
        List.of(
            client("checkout", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    httpClient("GET", "http://payments:8080/pay/42?x=1", "payments").build())
                .build(),
            server("payments", TRACE_2, 0x5, 0, 11, 89)
                .attributes(http("GET", "/pay/42", "/pay/{id}").build())
                .build(),
            // another request to payments at the same time but another route: not this hop
            server("payments", TRACE_3, 0x6, 0, 11, 89)
                .attributes(http("GET", "/refund/7", "/refund/{id}").build())
                .build());

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_NOT_INJECTED);
    assertThat(f.blame()).isEqualTo(Blame.CALLER_OR_PATH);
    assertThat(f.pairing()).isEqualTo(Pairing.HEURISTIC);
    assertThat(f.traceIds()).containsExactly(TRACE.toHex(), TRACE_2.toHex());
  }

  @Test
  void heuristic_calleeOutsideWindowBeyondSkew_notPaired() {
    List<Span> spans =
        List.of(
            client("checkout", TRACE, 0x2, 0, 10, 90)
                .attributes(httpClient("GET", "http://payments:8080/pay/42", "payments").build())
                .build(),
            server("payments", TRACE_2, 0x5, 0, 5_000, 5_080)
                .attributes(http("GET", "/pay/42", "/pay/{id}").build())
                .build());

    assertThat(analyze(spans).findings())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.UNPAIRED_EXIT);
  }

  @Test
  void zipkinStyleDiagnosticsAsCommaStrings_areRead() {
    List<Span> spans =
        List.of(
            client("frontend", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    httpClient("GET", "http://payments/pay/42", "payments")
                        .put(SpanFacts.INJECTED, "b3")
                        .build())
                .build(),
            server("payments", TRACE_2, 0x5, 0, 12, 88)
                .attributes(
                    Attributes.newBuilder()
                        .put("http.method", "GET")
                        .put("http.path", "/pay/42")
                        .put(SpanFacts.RECEIVED, "b3,baggage")
                        .build())
                .build());

    assertThat(only(analyze(spans)).kind()).isEqualTo(FindingKind.FORMAT_MISMATCH);
  }

  @Test
  void strippedBeforeMesh_newTraceStartsAtCalleeProxy_blamesPath() {
    List<Span> spans =
        List.of(
            client("frontend", TRACE, 0x2, 0, 10, 90)
                .attributes(
                    httpClient("POST", "http://orders/orders", "orders")
                        .put("http.request.header.x-request-id", strings(REQUEST_ID))
                        .build())
                .build(),
            Span.newBuilder()
                .traceId(TRACE_2)
                .spanId(0x8)
                .name("inbound|8080||")
                .kind(SpanKind.SERVER)
                .startEpochNanos(at(11))
                .endEpochNanos(at(89))
                .resource(resource("orders.default"))
                .attributes(
                    Attributes.newBuilder()
                        .put("component", "proxy")
                        .put("guid:x-request-id", REQUEST_ID)
                        .build())
                .build(),
            server("orders", TRACE_2, 0x9, 0x8, 12, 88)
                .attributes(http("POST", "/orders", "/orders").build())
                .build());

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_STRIPPED);
    assertThat(f.blame()).isEqualTo(Blame.PATH);
    assertThat(f.hop()).isEqualTo(new Hop("frontend", "orders", Transport.HTTP));
    assertThat(f.evidence()).contains("proxy span");
  }

  static Span rabbit(
      String service,
      SpanKind kind,
      dev.tracewire.server.model.TraceId trace,
      long id,
      long startMs,
      String messageId) {
    Attributes.Builder a =
        Attributes.newBuilder()
            .put("messaging.system", "rabbitmq")
            .put("messaging.destination.name", "invoices");
    if (messageId != null) a.put("messaging.message.id", messageId);
    if (kind == SpanKind.CONSUMER) a.put(SpanFacts.RECEIVED, strings());
    else a.put(SpanFacts.INJECTED, strings("tracecontext"));
    return span(service, kind, trace, id, 0, startMs, startMs + 5).attributes(a.build()).build();
  }

  @Test
  void messaging_noIds_pairedByDestinationAndTiming() {
    List<Span> spans =
        List.of(
            rabbit("orders", SpanKind.PRODUCER, TRACE, 0x1, 0, null),
            rabbit("billing", SpanKind.CONSUMER, TRACE_2, 0x2, 40, null));

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_STRIPPED);
    assertThat(f.hop()).isEqualTo(new Hop("orders", "billing", Transport.RABBITMQ));
    assertThat(f.pairing()).isEqualTo(Pairing.HEURISTIC);
  }

  @Test
  void messaging_differentMessageIds_neverPaired() {
    List<Span> spans =
        List.of(
            rabbit("orders", SpanKind.PRODUCER, TRACE, 0x1, 0, "m-1"),
            rabbit("billing", SpanKind.CONSUMER, TRACE_2, 0x2, 40, "m-2"));

    assertThat(analyze(spans).findings()).isEmpty(); // fire-and-forget, and a new root
  }

  @Test
  void messaging_sameMessageId_pairedExactly() {
    List<Span> spans =
        List.of(
            rabbit("orders", SpanKind.PRODUCER, TRACE, 0x1, 0, "m-1"),
            rabbit("billing", SpanKind.CONSUMER, TRACE_2, 0x2, 40, "m-1"));

    Finding f = only(analyze(spans));

    assertThat(f.pairing()).isEqualTo(Pairing.EXACT);
    assertThat(f.evidence()).contains("messaging.message.id m-1");
  }

  @Test
  void missingSpan_inProcessParentLost_noEdge() {
    List<Span> spans =
        List.of(
            FRONTEND.get(0),
            span("frontend", SpanKind.INTERNAL, TRACE, 0x9, 0x8, 20, 30).name("render").build());

    AnalysisResult r = analyze(spans);
    Finding f = only(r);

    assertThat(f.kind()).isEqualTo(FindingKind.MISSING_SPAN);
    assertThat(f.hop()).isEqualTo(new Hop("frontend", "frontend", Transport.UNKNOWN));
    assertThat(r.edges()).isEmpty();
  }

  @Test
  void orphanBehindProxy_parentAboveTheProxyPairsAcrossTraces() {
    // orders' inbound proxy kept frontend's span id as parent but under a new trace id
    List<Span> spans =
        List.of(
            INTACT_HTTP.get(0),
            INTACT_HTTP.get(1),
            NotABreakTest.proxy(TRACE_2, 0x7, 0x2, "orders.default", SpanKind.SERVER),
            server("orders", TRACE_2, 0x3, 0x7, 12, 88)
                .attributes(http("POST", "/orders", "/orders").build())
                .build());

    Finding f = only(analyze(spans));

    assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_CONFLICT);
    assertThat(f.pairing()).isEqualTo(Pairing.EXACT);
    assertThat(f.evidence()).contains("parent span id 0000000000000002");
  }

  @Test
  void unansweredCallBesideAPairedOneToAnotherPeer_isNotARetry() {
    List<Span> spans =
        List.of(
            FRONTEND.get(0),
            client("frontend", TRACE, 0x2, 0x1, 10, 20)
                .name("GET")
                .attributes(httpClient("GET", "http://catalog/api/products/1", "catalog").build())
                .build(),
            server("catalog", TRACE, 0x3, 0x2, 11, 19)
                .attributes(http("GET", "/api/products/1", "/api/products/{id}").build())
                .build(),
            client("frontend", TRACE, 0x4, 0x1, 30, 40)
                .name("GET")
                .attributes(httpClient("GET", "http://loyalty/points", "loyalty").build())
                .build());

    assertThat(only(analyze(spans)).kind()).isEqualTo(FindingKind.UNPAIRED_EXIT);
  }

  @Test
  void heuristic_mutuallyClosestPairWins_anUnansweredExitCannotStealAnEntry() {
    List<Span> spans =
        List.of(
            // frontend's first call to payments was never answered
            client("frontend", TRACE, 0x2, 0, 0, 100)
                .attributes(httpClient("POST", "http://payments/api/charges", "payments").build())
                .build(),
            // its second call broke: payments started TRACE_3 for it
            client("frontend", TRACE_2, 0x4, 0, 30, 60)
                .attributes(httpClient("POST", "http://payments/api/charges", "payments").build())
                .build(),
            server("payments", TRACE_3, 0x5, 0, 31, 59)
                .attributes(http("POST", "/api/charges", "/api/charges").build())
                .build());

    AnalysisResult r = analyze(spans);

    assertThat(r.findings())
        .extracting(f -> f.kind() + " " + f.spanIds())
        .containsExactlyInAnyOrder(
            "CONTEXT_NOT_INJECTED [0000000000000004, 0000000000000005]",
            "UNPAIRED_EXIT [0000000000000002]");
  }
}
