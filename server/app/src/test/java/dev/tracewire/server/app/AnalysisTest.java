package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.analysis.AnalysisResult;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.FindingKind;
import dev.tracewire.server.analysis.TraceIntegrity;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.FindingQuery;
import dev.tracewire.server.storage.InMemorySpanStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnalysisTest {
  static final long T0 = 1_700_000_000_000_000_000L;
  static final long SECOND = 1_000_000_000L;

  /** orders produced to Kafka with tracecontext; billing consumed the message in a new trace. */
  static final List<Span> SPLIT_AT_KAFKA =
      List.of(
          span("orders", SpanKind.PRODUCER, TraceId.of(0, 0xa1), 0x1)
              .attributes(
                  kafka().put("tracewire.propagation.injected", strings("tracecontext")).build())
              .build(),
          span("billing", SpanKind.CONSUMER, TraceId.of(0, 0xb2), 0x2)
              .attributes(kafka().put("tracewire.propagation.received", strings()).build())
              .build());

  final AtomicLong clock = new AtomicLong(T0);
  final GatedStore store = new GatedStore();
  final ServerMetrics metrics = new ServerMetrics();
  // a timer that never fires within a test: the test drives poll() with its own clock
  final Analysis analysis =
      new Analysis(
          TraceIntegrity.newBuilder().build(), store, metrics, clock::get, Duration.ofHours(1));

  AnalysisTest() {
    store.open();
  }

  @AfterEach
  void close() {
    store.close();
  }

  List<Finding> stored() {
    return store.findings(FindingQuery.newBuilder().build());
  }

  @Test
  void poll_decidesOnlyOnceTheMessagingSettleWindowPassed() {
    analysis.add(SPLIT_AT_KAFKA);

    clock.set(T0 + 10 * SECOND); // past the request/response window, not the messaging one
    analysis.poll();
    assertThat(stored()).isEmpty();
    assertThat(metrics.render()).contains("tracewire_analysis_open_traces 2");

    clock.set(T0 + 200 * SECOND); // past the messaging window and the pairing window
    analysis.poll();
    assertThat(stored())
        .singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_STRIPPED));
    assertThat(store.edgeStats(0, Long.MAX_VALUE)).isNotEmpty();
    assertThat(metrics.render())
        .contains("tracewire_findings_total{kind=\"context_stripped\"} 1")
        .contains("tracewire_analysis_open_traces 0");
  }

  @Test
  void failedIntegrityWrite_isRetriedOnTheNextPoll() {
    analysis.add(SPLIT_AT_KAFKA);
    store.failIntegrityNext(1);

    AnalysisResult flushed = analysis.flush();

    assertThat(flushed.findings()).hasSize(1);
    assertThat(stored()).isEmpty();
    analysis.poll();
    assertThat(stored()).hasSize(1);
    // counted once, when decided, not again on the retry
    assertThat(metrics.render()).contains("tracewire_findings_total{kind=\"context_stripped\"} 1");
  }

  @Test
  void clockSteppingBack_isHeldAtItsLatestReading() {
    clock.set(T0 + 100 * SECOND);
    analysis.add(SPLIT_AT_KAFKA.subList(0, 1));
    clock.set(T0); // an NTP step backwards
    analysis.add(SPLIT_AT_KAFKA.subList(1, 2));
    analysis.poll();

    assertThat(analysis.flush().findings()).hasSize(1);
  }

  @Test
  void close_flushesWhatIsStillOpen() {
    analysis.add(SPLIT_AT_KAFKA);

    analysis.close();

    assertThat(stored()).hasSize(1);
  }

  @Test
  void runningServer_settleTimerClosesTracesWithoutAFlush() throws Exception {
    try (InMemorySpanStore memory = InMemorySpanStore.create();
        TracewireServer server =
            TracewireServer.start(
                TestServers.freePorts()
                    .messagingSettle(Duration.ofMillis(200))
                    .analysisInterval(Duration.ofMillis(50))
                    .build(),
                memory)) {
      long now = TracewireServer.epochNanos();
      List<Span> spans =
          SPLIT_AT_KAFKA.stream()
              .map(s -> s.toBuilder().startEpochNanos(now).endEpochNanos(now + 1000).build())
              .toList();
      serverAdd(server, spans);

      // the pairing window (60s) holds a lone side, but both sides close together and pair
      long deadline = System.nanoTime() + 30 * SECOND;
      while (memory.findings(FindingQuery.newBuilder().build()).isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(memory.findings(FindingQuery.newBuilder().build()))
          .singleElement()
          .satisfies(f -> assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_STRIPPED));
    }
  }

  /** Sends spans as OTLP/JSON, so they take the ingest path. */
  static void serverAdd(TracewireServer server, List<Span> spans) throws Exception {
    StringBuilder json = new StringBuilder("{\"resourceSpans\":[");
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      if (i > 0) json.append(',');
      json.append("{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":")
          .append("{\"stringValue\":\"")
          .append(s.serviceName())
          .append("\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"")
          .append(s.traceIdHex())
          .append("\",\"spanId\":\"")
          .append(s.spanIdHex())
          .append("\",\"name\":\"")
          .append(s.name())
          .append("\",\"kind\":")
          .append(s.kind().number())
          .append(",\"startTimeUnixNano\":\"")
          .append(s.startEpochNanos())
          .append("\",\"endTimeUnixNano\":\"")
          .append(s.endEpochNanos())
          .append("\",\"attributes\":")
          .append(attributesJson(s.attributes()))
          .append("}]}]}");
    }
    json.append("]}");
    var r =
        Http.post(
            server.otlpHttpPort(),
            "/v1/traces",
            "application/json",
            json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  static String attributesJson(Attributes attributes) {
    StringBuilder b = new StringBuilder("[");
    for (var a : attributes.asList()) {
      if (b.length() > 1) b.append(',');
      b.append("{\"key\":\"").append(a.key()).append("\",\"value\":");
      if (a.value() instanceof AttributeValue.ArrayValue v) {
        b.append("{\"arrayValue\":{\"values\":[");
        for (int i = 0; i < v.values().size(); i++) {
          if (i > 0) b.append(',');
          b.append("{\"stringValue\":\"").append(v.values().get(i).asString()).append("\"}");
        }
        b.append("]}}");
      } else if (a.value() instanceof AttributeValue.LongValue v) {
        b.append("{\"intValue\":\"").append(v.value()).append("\"}");
      } else {
        b.append("{\"stringValue\":\"").append(a.value().asString()).append("\"}");
      }
      b.append('}');
    }
    return b.append(']').toString();
  }

  static Span.Builder span(String service, SpanKind kind, TraceId trace, long id) {
    return Span.newBuilder()
        .traceId(trace)
        .spanId(id)
        .name("orders.created " + (kind == SpanKind.PRODUCER ? "publish" : "process"))
        .kind(kind)
        .startEpochNanos(T0)
        .endEpochNanos(T0 + 5_000_000L)
        .resource(Resource.create(Attributes.newBuilder().put("service.name", service).build()));
  }

  static Attributes.Builder kafka() {
    return Attributes.newBuilder()
        .put("messaging.system", "kafka")
        .put("messaging.destination.name", "orders.created")
        .put("messaging.destination.partition.id", "3")
        .put("messaging.kafka.offset", 42L);
  }

  static AttributeValue strings(String... values) {
    return AttributeValue.ofArray(java.util.Arrays.stream(values).map(AttributeValue::of).toList());
  }
}
