package dev.tracewire.server.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanId;
import dev.tracewire.server.model.SpanKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  static final long START = 1_767_225_600_000_000_000L;
  static final String EVERY_FAULT =
      "context_not_injected=0.05,context_stripped=0.05,context_not_extracted=0.05,"
          + "format_mismatch=0.05,context_conflict=0.05,missing_span=0.05,sampling_split=0.05,"
          + "unpaired_exit=0.05,clock_skew=0.05";

  @Test
  void generate_sameSeed_sameSpansAndTruth() {
    Simulator.Run a =
        Simulator.newBuilder().seed(3).faults(EVERY_FAULT).build().generate(200, START);
    Simulator.Run b =
        Simulator.newBuilder().seed(3).faults(EVERY_FAULT).build().generate(200, START);
    Simulator.Run c =
        Simulator.newBuilder().seed(4).faults(EVERY_FAULT).build().generate(200, START);

    assertThat(a.spans()).isEqualTo(b.spans());
    assertThat(a.truth()).isEqualTo(b.truth());
    assertThat(a.spans()).isNotEqualTo(c.spans());
  }

  @Test
  void generate_withoutFaults_everyHopIntact_overEveryTransport() {
    Simulator.Run run = Simulator.newBuilder().seed(5).build().generate(500, START);

    assertThat(run.truth()).allMatch(t -> !t.isFault());
    Set<String> transports = new HashSet<>();
    run.truth().forEach(t -> transports.add(t.transport()));
    assertThat(transports)
        .containsExactlyInAnyOrder(
            "http", "grpc", "kafka", "rabbitmq", "nats", "mqtt", "redis", "messaging");
    Set<String> systems = new HashSet<>();
    run.spans().forEach(s -> systems.add(s.attributes().getString("messaging.system")));
    assertThat(systems).contains("redis", "cloudevents", "outbox");
  }

  @Test
  void pubSubHops_carryTheKitsIdentity_andPairExactly() {
    Simulator.Run run = Simulator.newBuilder().seed(12).build().generate(1500, START);
    Map<String, Span> byId = index(run.spans());
    Map<String, Integer> hops = new HashMap<>();

    for (Truth t : run.truth()) {
      Span exit = byId.get(t.spanIds().get(0));
      Span entry = byId.get(t.spanIds().get(1));
      String system = exit.attributes().getString("messaging.system");
      if (system == null || !List.of("redis", "cloudevents", "outbox").contains(system)) continue;
      assertThat(exit.kind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(entry.kind()).isEqualTo(SpanKind.CONSUMER);
      assertThat(entry.parentSpanId()).as("%s", t).isEqualTo(exit.spanId());
      assertThat(entry.attributes().getString("messaging.system")).isEqualTo(system);
      assertThat(entry.attributes().getString("tracewire.propagation.remote_parent"))
          .isEqualTo(exit.spanIdHex());
      assertThat(t.exact()).isTrue();
      String kind = exit.attributes().getString("messaging.redis.kind");
      String id = exit.attributes().getString("messaging.message.id");
      if ("pubsub".equals(kind)) {
        assertThat(id).isNull(); // the envelope carries no id: pairs by remote parent
      } else {
        assertThat(id).isNotEmpty().isEqualTo(entry.attributes().getString("messaging.message.id"));
      }
      if ("stream".equals(kind)) {
        assertThat(id).matches("[0-9]+-[0-9]+");
        assertThat(entry.attributes().getString("messaging.consumer.group.name"))
            .isEqualTo("ledger");
      }
      if (system.equals("cloudevents")) {
        assertThat(t.transport()).isEqualTo("messaging");
        assertThat(id).isEqualTo(exit.attributes().getString("cloudevents.event_id"));
        // only traceparent rides an event; x-b3-* are not valid attribute names
        assertThat(entry.attributes().getString("tracewire.propagation.received"))
            .doesNotContain("b3multi");
      }
      hops.merge(
          system + " " + (kind == null ? "" : kind) + " " + t.from() + "->" + t.to(),
          1,
          Integer::sum);
    }
    assertThat(hops)
        .containsOnlyKeys(
            "redis stream payments->ledger",
            "redis pubsub pricing->frontend",
            "redis pubsub pricing->checkout",
            "cloudevents  shipping->tracking",
            "outbox  orders->outbox-relay");
    // the relay's NATS publish continues the outbox row's trace to invoicing
    assertThat(run.truth())
        .anyMatch(
            t -> t.from().equals("outbox-relay") && t.to().equals("invoicing") && !t.isFault());
  }

  @Test
  void intactTruth_entryDescendsFromExit_throughProxiesOrByLink() {
    Simulator.Run run =
        Simulator.newBuilder().seed(6).faults(EVERY_FAULT).build().generate(400, START);
    Map<String, Span> byId = index(run.spans());

    int checked = 0;
    for (Truth t : run.truth()) {
      if (t.isFault()) continue;
      Span exit = byId.get(t.spanIds().get(0));
      Span entry = byId.get(t.spanIds().get(1));
      assertThat(exit).as("exit of %s", t).isNotNull();
      assertThat(entry).as("entry of %s", t).isNotNull();
      assertThat(exit.serviceName()).isEqualTo(t.from());
      assertThat(entry.serviceName()).isEqualTo(t.to());
      assertThat(descendsOrLinks(entry, exit, byId)).as("%s", t).isTrue();
      checked++;
    }
    assertThat(checked).isGreaterThan(1000);
  }

  @Test
  void brokenTruth_entryStartsAnotherTrace() {
    Simulator.Run run =
        Simulator.newBuilder().seed(7).faults(EVERY_FAULT).build().generate(600, START);
    Map<String, Span> byId = index(run.spans());
    Set<String> kinds = new HashSet<>();

    for (Truth t : run.truth()) {
      kinds.add(t.kind());
      if (!List.of(
              "context_not_injected",
              "context_stripped",
              "context_not_extracted",
              "format_mismatch")
          .contains(t.kind())) {
        continue;
      }
      Span exit = byId.get(t.spanIds().get(0));
      Span entry = byId.get(t.spanIds().get(1));
      assertThat(entry.traceId()).as("%s", t).isNotEqualTo(exit.traceId());
      assertThat(t.traceIds()).hasSize(2);
    }
    for (Fault f : Fault.values()) assertThat(kinds).contains(f.wireName());
  }

  @Test
  void missingSpan_exitNeverReported_entryNamesItAsParent() {
    Simulator.Run run =
        Simulator.newBuilder().seed(8).faults("missing_span=0.1").build().generate(200, START);
    Map<String, Span> byId = index(run.spans());

    List<Truth> missing =
        run.truth().stream().filter(t -> t.kind().equals("missing_span")).toList();
    assertThat(missing).isNotEmpty();
    for (Truth t : missing) {
      assertThat(byId).doesNotContainKey(t.spanIds().get(0));
      assertThat(byId).containsKey(t.spanIds().get(1));
    }
  }

  @Test
  void spans_lookLikeTheirSdks() {
    Simulator.Run run = Simulator.newBuilder().seed(9).build().generate(300, START);
    Set<String> kit =
        Set.of(
            "frontend",
            "checkout",
            "payments",
            "orders",
            "shipping",
            "notifications",
            "audit",
            "pricing",
            "ledger",
            "tracking",
            "outbox-relay");
    Set<String> plain = Set.of("cart", "inventory", "billing", "email", "compliance", "invoicing");

    for (Batch b : run.batches()) {
      for (Span s : b.spans()) {
        boolean entry = s.kind() == SpanKind.SERVER || s.kind() == SpanKind.CONSUMER;
        boolean proxy = "proxy".equals(s.attributes().getString("component"));
        if (proxy) {
          assertThat(b.isZipkin()).isTrue();
          assertThat(s.attributes().getString("upstream_cluster")).isNotEmpty();
          assertThat(s.attributes().getString("guid:x-request-id")).isNotEmpty();
        } else if (entry && kit.contains(s.serviceName())) {
          assertThat(s.attributes().get("tracewire.propagation.received")).as("%s", s).isNotNull();
        } else if (plain.contains(s.serviceName())) {
          assertThat(b.isZipkin()).isFalse();
          assertThat(s.attributes().get("tracewire.propagation.received")).isNull();
          assertThat(s.attributes().get("tracewire.propagation.injected")).isNull();
        } else if (s.serviceName().equals("catalog") || s.serviceName().equals("recommendations")) {
          assertThat(b.isZipkin()).isTrue();
          assertThat(s.attributes().get("network.local.address")).isNotNull(); // Zipkin endpoint
        }
        if ("cloudevents".equals(s.attributes().getString("messaging.system"))) {
          // the kit's CloudEvents spans name the event type, not a destination
          assertThat(s.attributes().getString("cloudevents.event_type")).isNotEmpty();
        } else if (s.attributes().get("messaging.system") != null) {
          assertThat(s.attributes().getString("messaging.destination.name")).isNotEmpty();
        }
        if ("kafka".equals(s.attributes().getString("messaging.system"))
            && s.kind() == SpanKind.PRODUCER) {
          assertThat(s.attributes().get("messaging.kafka.message.offset")).isNotNull();
        }
        if (s.kind() == SpanKind.CLIENT && s.attributes().get("rpc.system") != null) {
          assertThat(s.attributes().getString("server.address")).endsWith(".svc.cluster.local");
        }
      }
    }
  }

  @Test
  void start_sendsBatchesWithWallClockTimes_untilClosed() throws Exception {
    List<List<Span>> received = new CopyOnWriteArrayList<>();
    Simulator sim =
        Simulator.newBuilder().seed(10).rate(200).exportDelay(java.time.Duration.ZERO).build();
    long before = System.currentTimeMillis() * 1_000_000L;
    try (AutoCloseable live = sim.start(received::add)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (received.size() < 20 && System.nanoTime() < deadline) Thread.sleep(20);
    }
    int afterClose = received.size();
    Thread.sleep(200);

    assertThat(afterClose).isGreaterThanOrEqualTo(20);
    assertThat(received).hasSize(afterClose);
    Span s = received.get(0).get(0);
    assertThat(s.startEpochNanos()).isGreaterThan(before - TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void start_sinkThrows_keepsRunning() throws Exception {
    List<Integer> calls = new CopyOnWriteArrayList<>();
    Simulator sim =
        Simulator.newBuilder().seed(11).rate(200).exportDelay(java.time.Duration.ZERO).build();
    try (AutoCloseable live =
        sim.start(
            spans -> {
              calls.add(spans.size());
              throw new IllegalStateException("queue full");
            })) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (calls.size() < 5 && System.nanoTime() < deadline) Thread.sleep(20);
    }
    assertThat(calls.size()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void parseRates_rejectsUnknownKindsAndRatesOutOfRange() {
    assertThat(Fault.parseRates("context_stripped=0.05, clock_skew=1"))
        .containsEntry(Fault.CONTEXT_STRIPPED, 0.05)
        .containsEntry(Fault.CLOCK_SKEW, 1.0);
    assertThat(Fault.parseRates("")).isEmpty();
    assertThatThrownBy(() -> Fault.parseRates("lost_hop=0.1"))
        .hasMessageContaining("unknown kind lost_hop");
    assertThatThrownBy(() -> Fault.parseRates("context_stripped=2"))
        .hasMessage("faults: context_stripped=2 (expected: 0..1)");
    assertThatThrownBy(() -> Fault.parseRates("context_stripped"))
        .hasMessage("faults: context_stripped (expected: kind=rate)");
  }

  static Map<String, Span> index(List<Span> spans) {
    Map<String, Span> byId = new HashMap<>();
    for (Span s : spans) byId.put(s.spanIdHex(), s);
    return byId;
  }

  private static boolean descendsOrLinks(Span entry, Span exit, Map<String, Span> byId) {
    for (Link l : entry.links()) {
      if (l.spanId() == exit.spanId() && l.traceId().equals(exit.traceId())) return true;
    }
    List<Span> seen = new ArrayList<>();
    Span p = entry;
    while (p.parentSpanId() != SpanId.NONE && seen.size() < 10) {
      Span parent = byId.get(p.parentSpanIdHex());
      if (parent == null || !parent.traceId().equals(entry.traceId())) return false;
      if (parent == exit) return true;
      if (!"proxy".equals(parent.attributes().getString("component"))) return false;
      seen.add(parent);
      p = parent;
    }
    return false;
  }
}
