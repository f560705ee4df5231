package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracewire.server.storage.FindingQuery;
import dev.tracewire.server.storage.InMemorySpanStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --demo}'s traffic flows through the real pipeline into storage and the analysis. */
class DemoTest {
  @Test
  void demo_feedsTheRunningServer_findingsAndBrokenEdgesAppear() throws Exception {
    try (InMemorySpanStore store = InMemorySpanStore.create();
        TracewireServer server =
            TracewireServer.start(
                TestServers.freePorts()
                    .settle(Duration.ofSeconds(1))
                    .messagingSettle(Duration.ofSeconds(2))
                    .analysisInterval(Duration.ofMillis(100))
                    .build(),
                store);
        Demo demo = Demo.start(server, 100)) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (store.findings(FindingQuery.newBuilder().build()).size() < 20
          && System.nanoTime() < deadline) {
        Thread.sleep(200); // the settle windows close traces, as in a real deployment
      }

      assertThat(server.acceptedSpans()).isPositive();
      Set<String> kinds = new HashSet<>();
      for (var f : store.findings(FindingQuery.newBuilder().limit(1000).build())) {
        kinds.add(f.kind().wireName());
      }
      assertThat(kinds).as("finding kinds the demo shows").hasSizeGreaterThanOrEqualTo(3);
      JsonNode edges = Http.getJson(server.queryPort(), "/api/v1/integrity").get("edges");
      long broken = 0;
      long intact = 0;
      for (JsonNode e : edges) {
        broken += e.get("broken").asLong();
        intact += e.get("intact").asLong();
      }
      assertThat(broken).isPositive();
      assertThat(intact).as("whole hops next to the broken ones in " + edges).isGreaterThan(broken);
      assertThat(Http.get(server.queryPort(), "/metrics").body())
          .contains("tracewire_spans_received_total{format=\"demo\"}");
    }
  }
}
