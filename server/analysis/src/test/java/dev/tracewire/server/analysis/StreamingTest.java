package dev.tracewire.server.analysis;

import static dev.tracewire.server.analysis.TestObjects.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.Span;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's way: spans arrive over time, polls close settled traces, pairing waits. */
class StreamingTest {
  final TraceIntegrity integrity =
      TraceIntegrity.newBuilder()
          .requestResponseSettle(Duration.ofSeconds(5))
          .messagingSettle(Duration.ofSeconds(30))
          .pairingWindow(Duration.ofSeconds(60))
          .build();

  @Test
  void brokenHop_sidesCloseAtDifferentTimes_stillPaired() {
    // billing's consumer trace (TRACE_2) arrives and settles long before orders' producer trace
    integrity.add(List.of(SPLIT_AT_KAFKA.get(2)), at(0));
    AnalysisResult first = integrity.poll(at(31_000));
    assertThat(first.traces()).isEqualTo(1);
    assertThat(first.findings()).isEmpty();
    assertThat(integrity.pendingHops()).isEqualTo(1);

    integrity.add(SPLIT_AT_KAFKA.subList(0, 2), at(32_000));
    AnalysisResult second = integrity.poll(at(63_000));

    assertThat(second.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_STRIPPED));
  }

  @Test
  void loneSide_decidedWhenPairingWindowEnds() {
    List<Finding> notExtracted =
        List.of(); // a callee that received valid context and dropped it, caller never reports
    integrity.add(
        List.of(
            server("orders", TRACE_2, 0x3, 0, 12, 88)
                .attributes(
                    http("POST", "/orders", "/orders")
                        .put(SpanFacts.RECEIVED, strings("tracecontext"))
                        .put(SpanFacts.USED, "tracecontext")
                        .build())
                .build()),
        at(0));

    assertThat(integrity.poll(at(5_000)).findings()).isEqualTo(notExtracted);
    assertThat(integrity.poll(at(64_999)).findings()).isEmpty();
    AnalysisResult decided = integrity.poll(at(65_000));

    assertThat(decided.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(FindingKind.CONTEXT_NOT_EXTRACTED);
              assertThat(f.hop().from()).isEqualTo(Hop.UNKNOWN_SERVICE);
              assertThat(f.pairing()).isEqualTo(Pairing.NONE);
            });
    assertThat(integrity.pendingHops()).isZero();
  }

  @Test
  void flush_decidesEverythingAtOnce() {
    integrity.add(STRIPPED_AT_PROXY, at(0));

    AnalysisResult r = integrity.flush(at(1));

    assertThat(r.findings())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.CONTEXT_STRIPPED);
    assertThat(integrity.openTraces()).isZero();
    assertThat(integrity.pendingHops()).isZero();
  }

  @Test
  void edgeCounts_bucketedByHopTime() {
    TraceIntegrity minute = TraceIntegrity.newBuilder().bucket(Duration.ofMinutes(1)).build();
    minute.add(INTACT_HTTP, at(0));
    minute.add(
        INTACT_HTTP.stream()
            .map(
                s ->
                    s.toBuilder()
                        .traceId(TRACE_3)
                        .startEpochNanos(s.startEpochNanos() + Duration.ofMinutes(2).toNanos())
                        .endEpochNanos(s.endEpochNanos() + Duration.ofMinutes(2).toNanos())
                        .build())
            .toList(),
        at(0));

    AnalysisResult r = minute.flush(at(1));

    assertThat(r.edges())
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.intact()).isEqualTo(1);
              assertThat(e.bucketNanos()).isEqualTo(Duration.ofMinutes(1).toNanos());
              assertThat(e.bucketStartEpochNanos() % Duration.ofMinutes(1).toNanos()).isZero();
            });
    assertThat(r.edgeTotals()).singleElement().satisfies(e -> assertThat(e.intact()).isEqualTo(2));
  }

  @Test
  void heuristic_unansweredExitExpiringFirst_leavesTheEntryToItsOwnExit() {
    Span unanswered =
        client("frontend", TRACE, 0x2, 0, 0, 100)
            .attributes(httpClient("POST", "http://payments/api/charges", "payments").build())
            .build();
    Span broken =
        client("frontend", TRACE_2, 0x4, 0, 30, 60)
            .attributes(httpClient("POST", "http://payments/api/charges", "payments").build())
            .build();
    Span newRoot =
        server("payments", TRACE_3, 0x5, 0, 31, 59)
            .attributes(http("POST", "/api/charges", "/api/charges").build())
            .build();
    integrity.add(List.of(unanswered), at(0));
    AnalysisResult first = integrity.poll(at(6_000)); // TRACE closes: its exit waits
    integrity.add(List.of(broken, newRoot), at(30_000));
    AnalysisResult second = integrity.poll(at(36_000)); // the other two close and wait
    AnalysisResult third = integrity.poll(at(66_000)); // the unanswered exit's window ends first

    assertThat(first.findings()).isEmpty();
    assertThat(second.findings()).isEmpty();
    assertThat(third.findings())
        .extracting(f -> f.kind() + " " + f.spanIds())
        .containsExactlyInAnyOrder(
            "CONTEXT_NOT_INJECTED [0000000000000004, 0000000000000005]",
            "UNPAIRED_EXIT [0000000000000002]");
  }
}
