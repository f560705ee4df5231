package dev.tracewire.server.storage.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.FindingKind;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.DependencyLink;
import dev.tracewire.server.storage.FindingQuery;
import dev.tracewire.server.storage.TraceQuery;
import dev.tracewire.server.storage.tck.RealisticLoad;
import dev.tracewire.server.storage.tck.TestFindings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbSpecificsTest {
  @TempDir Path dir;

  @Test
  void reopen_rebuildsTraceLocator_andFindsEveryTrace() {
    List<List<Span>> traces = new ArrayList<>();
    RealisticLoad load = RealisticLoad.create(5);
    for (int i = 0; i < 300; i++) traces.add(load.trace());
    try (DuckDbSpanStore store = DuckDbSpanStore.newBuilder(dir).locatorChunkSpans(100).build()) {
      for (int i = 0; i < traces.size(); i += 30) {
        List<Span> batch = new ArrayList<>();
        traces.subList(i, i + 30).forEach(batch::addAll);
        store.write(batch);
      }
    }

    try (DuckDbSpanStore store = DuckDbSpanStore.newBuilder(dir).locatorChunkSpans(100).build()) {
      for (List<Span> trace : traces) {
        assertThat(store.trace(trace.get(0).traceId())).containsExactlyInAnyOrderElementsOf(trace);
      }
      assertThat(store.search(TraceQuery.newBuilder().limit(1000).build())).hasSize(300);
    }
  }

  @Test
  void write_afterReopen_duplicateOfStoredSpan_isReadOnce() {
    List<Span> trace = RealisticLoad.create(6).trace();
    List<DependencyLink> dependencies;
    try (DuckDbSpanStore store = DuckDbSpanStore.open(dir)) {
      store.write(trace);
      dependencies = store.dependencies(0, Long.MAX_VALUE);
    }

    // a fresh process has an empty dedupe cache: the copy lands on disk, reads must hide it
    try (DuckDbSpanStore store = DuckDbSpanStore.open(dir)) {
      store.write(trace);

      TraceId id = trace.get(0).traceId();
      assertThat(store.trace(id)).hasSize(trace.size());
      assertThat(store.search(TraceQuery.newBuilder().build())).containsExactly(id);
      assertThat(store.dependencies(0, Long.MAX_VALUE)).isEqualTo(dependencies).isNotEmpty();
    }
  }

  @Test
  void findingsOfTrace_acrossManyLocatorChunks_andAfterReopen_areExact() {
    // 200 findings, each naming its own trace and a shared one, in chunks of 8 locator entries
    TraceId shared = TraceId.fromHex(TestFindings.CALLER_TRACE);
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      findings.add(
          Finding.newBuilder()
              .kind(FindingKind.CONTEXT_STRIPPED)
              .hop(TestFindings.STRIPPED_AT_PROXY.hop())
              .traceIds(List.of(shared.toHex(), TraceId.of(7, i + 1).toHex()))
              .spanIds(List.of(String.format("%016x", i + 1)))
              .evidence("finding " + i)
              .hint("")
              .timeEpochNanos(TestFindings.STRIPPED_AT_PROXY.timeEpochNanos() + i * 1_000_000L)
              .build());
    }
    for (int round = 0; round < 2; round++) { // written, then reopened
      try (DuckDbSpanStore store = DuckDbSpanStore.newBuilder(dir).locatorChunkSpans(8).build()) {
        if (round == 0) {
          for (int i = 0; i < 200; i += 20)
            store.writeIntegrity(findings.subList(i, i + 20), List.of());
        }
        for (int i = 0; i < 200; i += 37) {
          TraceId own = TraceId.of(7, i + 1);
          assertThat(store.findings(FindingQuery.newBuilder().traceId(own).build()))
              .containsExactly(findings.get(i));
        }
        assertThat(store.findings(FindingQuery.newBuilder().traceId(shared).limit(1000).build()))
            .hasSize(200);
        assertThat(store.findings(FindingQuery.newBuilder().traceId(TraceId.of(8, 1)).build()))
            .isEmpty();
        assertThat(store.findingCounts(List.of(shared, TraceId.of(7, 5), TraceId.of(8, 1))))
            .isEqualTo(Map.of(shared, 200, TraceId.of(7, 5), 1));
      }
    }
  }

  @Test
  void reopen_findingsAndEdgeCountsSurvive() {
    EdgeStats counts =
        TestFindings.stats(
            TestFindings.ORDERS_BILLING, 0, 4, 1, Map.of(FindingKind.CONTEXT_NOT_EXTRACTED, 1L));
    try (DuckDbSpanStore store = DuckDbSpanStore.open(dir)) {
      store.writeIntegrity(List.of(TestFindings.SPLIT_AT_KAFKA), List.of(counts));
    }

    try (DuckDbSpanStore store = DuckDbSpanStore.open(dir)) {
      assertThat(store.findings(FindingQuery.newBuilder().build()))
          .containsExactly(TestFindings.SPLIT_AT_KAFKA);
      assertThat(store.edgeStats(0, Long.MAX_VALUE)).containsExactly(counts);
    }
  }

  @Test
  void deleteOldestUntil_manyRowGroups_deletesAboutHalf() {
    try (DuckDbSpanStore store = DuckDbSpanStore.open(dir)) {
      RealisticLoad.create(8).generate(300_000, store::write);
      store.checkpoint();
      long full = store.storageBytes();

      long deleted = store.deleteOldestUntil(full / 2);

      assertThat(store.storageBytes()).isLessThanOrEqualTo(full / 2);
      // roughly half, not everything: deleting stops once enough blocks are free
      assertThat(deleted).isBetween(100_000L, 250_000L);
    }
  }
}
