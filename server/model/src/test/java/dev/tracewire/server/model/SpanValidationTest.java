package dev.tracewire.server.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpanValidationTest {
  static Span valid() {
    return Span.newBuilder()
        .traceId(TraceId.of(1, 2))
        .spanId(3)
        .startEpochNanos(1_000)
        .endEpochNanos(2_000)
        .build();
  }

  @Test
  void problem_validSpan_isNull() {
    assertThat(SpanValidation.problem(valid())).isNull();
  }

  @Test
  void problem_endBeforeStart() {
    assertThat(SpanValidation.problem(valid().toBuilder().endEpochNanos(999).build()))
        .isEqualTo(SpanValidation.END_BEFORE_START);
  }

  @Test
  void problem_zeroIds() {
    assertThat(SpanValidation.problem(valid().toBuilder().traceId(TraceId.INVALID).build()))
        .isEqualTo(SpanValidation.TRACE_ID_ZERO);
    assertThat(SpanValidation.problem(valid().toBuilder().spanId(0).build()))
        .isEqualTo(SpanValidation.SPAN_ID_ZERO);
  }

  @Test
  void bytes_badLengths() {
    assertThat(SpanValidation.traceIdBytes(new byte[8])).isEqualTo(SpanValidation.TRACE_ID_LENGTH);
    assertThat(SpanValidation.traceIdBytes(new byte[16])).isEqualTo(SpanValidation.TRACE_ID_ZERO);
    assertThat(SpanValidation.spanIdBytes(new byte[7])).isEqualTo(SpanValidation.SPAN_ID_LENGTH);
    assertThat(SpanValidation.parentSpanIdBytes(new byte[0])).isNull();
    assertThat(SpanValidation.parentSpanIdBytes(new byte[4]))
        .isEqualTo(SpanValidation.PARENT_SPAN_ID_LENGTH);
  }

  @Test
  void hex_checks() {
    assertThat(SpanValidation.traceIdHex("A3CE929D0E0E4736")).isNull();
    assertThat(SpanValidation.traceIdHex("xyz")).isEqualTo(SpanValidation.TRACE_ID_HEX);
    assertThat(SpanValidation.spanIdHex("0000000000000000")).isEqualTo(SpanValidation.SPAN_ID_ZERO);
    assertThat(SpanValidation.spanIdHex("00f067aa0ba902b")).isEqualTo(SpanValidation.SPAN_ID_HEX);
    assertThat(SpanValidation.parentSpanIdHex("")).isNull();
    assertThat(SpanValidation.parentSpanIdHex("zz")).isEqualTo(SpanValidation.PARENT_SPAN_ID_HEX);
  }
}
