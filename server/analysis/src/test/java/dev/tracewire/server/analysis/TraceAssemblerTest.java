package dev.tracewire.server.analysis;

import static dev.tracewire.server.analysis.TestObjects.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceAssemblerTest {
  final TraceAssembler assembler =
      TraceAssembler.newBuilder()
          .requestResponseSettle(Duration.ofSeconds(5))
          .messagingSettle(Duration.ofSeconds(30))
          .build();

  @Test
  void requestResponseTrace_closesAfterItsSettleWindow() {
    assembler.addAll(INTACT_HTTP, at(0));

    assertThat(assembler.closeSettled(at(4_999))).isEmpty();
    List<AssembledTrace> closed = assembler.closeSettled(at(5_000));

    assertThat(closed)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.traceId()).isEqualTo(TRACE);
              assertThat(t.spans()).containsExactlyElementsOf(INTACT_HTTP);
              assertThat(t.closedEpochNanos()).isEqualTo(at(5_000));
            });
    assertThat(assembler.openTraces()).isZero();
    assertThat(assembler.openSpans()).isZero();
  }

  @Test
  void newSpan_restartsTheSettleWindow() {
    assembler.add(INTACT_HTTP.get(0), at(0));
    assembler.add(INTACT_HTTP.get(1), at(3_000));

    assertThat(assembler.closeSettled(at(6_000))).isEmpty();
    assertThat(assembler.closeSettled(at(8_000))).hasSize(1);
  }

  @Test
  void messagingTrace_waitsTheLongerWindow() {
    assembler.addAll(SPLIT_AT_KAFKA.subList(0, 2), at(0)); // orders server + producer
    assembler.addAll(INTACT_HTTP, at(0));

    List<AssembledTrace> early = assembler.closeSettled(at(10_000));
    assertThat(early).isEmpty(); // TRACE holds a producer: messaging window

    assembler.addAll(FRONTEND.subList(0, 0), at(0));
    assertThat(assembler.closeSettled(at(30_000)))
        .singleElement()
        .satisfies(t -> assertThat(t.spans()).hasSize(5));
  }

  @Test
  void tracesOfDifferentClasses_closeIndependently() {
    assembler.addAll(SPLIT_AT_KAFKA.subList(2, 3), at(0)); // billing consumer, TRACE_2
    assembler.addAll(INTACT_HTTP, at(1_000)); // TRACE, request/response

    assertThat(assembler.closeSettled(at(6_000)))
        .extracting(AssembledTrace::traceId)
        .containsExactly(TRACE);
    assertThat(assembler.closeSettled(at(30_000)))
        .extracting(AssembledTrace::traceId)
        .containsExactly(TRACE_2);
  }

  @Test
  void flush_closesEverythingNow() {
    assembler.addAll(INTACT_HTTP, at(0));
    assembler.addAll(SPLIT_AT_KAFKA.subList(2, 3), at(0));

    assertThat(assembler.flush(at(1))).hasSize(2);
    assertThat(assembler.openTraces()).isZero();
    assertThat(assembler.closeSettled(at(100_000))).isEmpty();
  }

  @Test
  void traceThatNeverGoesQuiet_closesAtMaxAge() {
    TraceAssembler a =
        TraceAssembler.newBuilder()
            .requestResponseSettle(Duration.ofSeconds(5))
            .maxTraceAge(Duration.ofSeconds(60))
            .build();
    long closedAtSecond = -1;
    for (int s = 0; s <= 80 && closedAtSecond < 0; s += 2) {
      a.add(INTACT_HTTP.get(0), at(s * 1000L));
      if (!a.closeSettled(at(s * 1000L)).isEmpty()) closedAtSecond = s;
    }

    // never quiet for 5s, so only the age closes it; the age scan runs every eighth of the max age
    assertThat(closedAtSecond).isBetween(60L, 68L);
  }

  @Test
  void maxOpenSpans_closesQuietestTraceEarly() {
    TraceAssembler a = TraceAssembler.newBuilder().maxOpenSpans(3).build();
    a.addAll(INTACT_HTTP, at(0)); // 3 spans of TRACE
    a.add(SPLIT_AT_KAFKA.get(2), at(1)); // a fourth span: TRACE must go

    assertThat(a.openSpans()).isEqualTo(1);
    assertThat(a.closeSettled(at(2))).extracting(AssembledTrace::traceId).containsExactly(TRACE);
  }

  @Test
  void builder_rejectsNonPositiveWindows() {
    assertThatThrownBy(() -> TraceAssembler.newBuilder().requestResponseSettle(Duration.ZERO))
        .hasMessage("requestResponseSettle: PT0S (expected: > 0)");
    assertThatThrownBy(() -> TraceAssembler.newBuilder().maxOpenSpans(0))
        .hasMessage("maxOpenSpans: 0 (expected: > 0)");
  }
}
