package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipelineTest {
  static List<Span> spans(int n, long traceLow) {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      spans.add(
          Span.newBuilder()
              .traceId(TraceId.of(0, traceLow))
              .spanId(i)
              .startEpochNanos(1)
              .endEpochNanos(2)
              .build());
    }
    return spans;
  }

  @Test
  void offer_whenFull_refusesAtOnce_andAcksOnlyAfterWrite() throws Exception {
    GatedStore store = new GatedStore();
    try (Pipeline pipeline = new Pipeline(store, 10, 1000, new ServerMetrics())) {
      CompletableFuture<Void> first = pipeline.offer(spans(10, 1));

      assertThat(pipeline.offer(spans(1, 2))).isNull();
      assertThat(first).isNotDone();
      assertThat(pipeline.depth()).isEqualTo(10);

      store.open();
      first.get(10, TimeUnit.SECONDS);
      assertThat(store.trace(TraceId.of(0, 1))).hasSize(10);
      OverloadTest.await(() -> pipeline.depth() == 0, "permits released");
      assertThat(pipeline.offer(spans(1, 2))).isNotNull();
    } finally {
      store.close();
    }
  }

  @Test
  void offer_largerThanCapacity_isTakenWhenEmpty() throws Exception {
    GatedStore store = new GatedStore();
    store.open();
    try (Pipeline pipeline = new Pipeline(store, 5, 1000, new ServerMetrics())) {
      pipeline.offer(spans(8, 3)).get(10, TimeUnit.SECONDS);

      assertThat(store.trace(TraceId.of(0, 3))).hasSize(8);
    } finally {
      store.close();
    }
  }
}
