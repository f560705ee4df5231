package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.InMemorySpanStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
  static Span span(long traceLow, Duration age) {
    long start = (System.currentTimeMillis() - age.toMillis()) * 1_000_000L;
    return Span.newBuilder()
        .traceId(TraceId.of(0, traceLow))
        .spanId(1)
        .name("op")
        .startEpochNanos(start)
        .endEpochNanos(start + 1000)
        .build();
  }

  @Test
  void retention_deletesOnlySpansOlderThanTheAge_andCountsThem() throws Exception {
    try (InMemorySpanStore store = InMemorySpanStore.create()) {
      store.write(List.of(span(1, Duration.ofHours(2)), span(2, Duration.ofMinutes(1))));

      try (TracewireServer server =
          TracewireServer.start(
              TestServers.freePorts().retention(Duration.ofHours(1)).build(), store)) {
        OverloadTest.await(() -> store.trace(TraceId.of(0, 1)).isEmpty(), "retention");

        assertThat(store.trace(TraceId.of(0, 2))).hasSize(1);
        OverloadTest.await(
            () -> server.metricsText().contains("tracewire_retention_deleted_spans_total 1\n"),
            "the deletion counted");
      }
    }
  }

  @Test
  void diskBudget_deletesOldestFirst() throws Exception {
    try (InMemorySpanStore store = InMemorySpanStore.create()) {
      store.write(List.of(span(1, Duration.ofMinutes(3)), span(2, Duration.ofMinutes(1))));
      long oneSpan = store.storageBytes() / 2;

      try (TracewireServer server =
          TracewireServer.start(
              TestServers.freePorts().retention(null).maxDiskBytes(oneSpan + 1).build(), store)) {
        OverloadTest.await(() -> store.trace(TraceId.of(0, 1)).isEmpty(), "the budget enforced");

        assertThat(store.trace(TraceId.of(0, 2))).hasSize(1);
      }
    }
  }
}
