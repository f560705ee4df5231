package dev.tracewire.propagation;

import static dev.tracewire.propagation.TestObjects.PARENT_SPAN_ID;
import static dev.tracewire.propagation.TestObjects.SPAN_ID;
import static dev.tracewire.propagation.TestObjects.TRACE_ID;
import static dev.tracewire.propagation.TestObjects.TRACE_ID_64;
import static dev.tracewire.propagation.TestObjects.TRACE_ID_64_PADDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class B3CodecTest {
  static FormatReading single(String value) {
    return B3SingleCodec.parse(value, 0, value.length());
  }

  static FormatReading multi(String... namesAndValues) {
    return B3MultiCodec.INSTANCE.read(Headers.of(namesAndValues), Headers.GETTER);
  }

  @Test
  void single_128bit_withParent() {
    FormatReading reading = single(TestObjects.B3);

    assertThat(reading.valid()).isTrue();
    assertThat(reading.spanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(reading.spanContext().getSpanId()).isEqualTo(SPAN_ID);
    assertThat(reading.sampled()).isTrue();
    assertThat(reading.debug()).isFalse();
  }

  @Test
  void single_64bitTraceId_isLeftPadded() {
    FormatReading reading = single(TestObjects.B3_64BIT);

    assertThat(reading.spanContext().getTraceId()).isEqualTo(TRACE_ID_64_PADDED);
  }

  @Test
  void single_withoutSampling_defers() {
    FormatReading reading = single(TRACE_ID + "-" + SPAN_ID);

    assertThat(reading.valid()).isTrue();
    assertThat(reading.sampled()).isNull();
    assertThat(reading.spanContext().isSampled()).isFalse();
  }

  @Test
  void single_debugFlag_isSampledAndDebug() {
    FormatReading reading = single(TestObjects.B3_DEBUG);

    assertThat(reading.sampled()).isTrue();
    assertThat(reading.debug()).isTrue();
    assertThat(reading.spanContext().isSampled()).isTrue();
  }

  @Test
  void single_notSampled() {
    assertThat(single(TRACE_ID + "-" + SPAN_ID + "-0").spanContext().isSampled()).isFalse();
  }

  @Test
  void single_samplingOnly0_isValidWithoutParent() {
    FormatReading reading = single("0");

    assertThat(reading.valid()).isTrue();
    assertThat(reading.sampled()).isFalse();
    assertThat(reading.spanContext()).isEqualTo(SpanContext.getInvalid());
  }

  @Test
  void single_samplingOnlyD_isDebugWithoutParent() {
    FormatReading reading = single("d");

    assertThat(reading.valid()).isTrue();
    assertThat(reading.sampled()).isTrue();
    assertThat(reading.debug()).isTrue();
    assertThat(reading.spanContext().isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "x",
        "true",
        TRACE_ID + "-" + SPAN_ID + "-",
        TRACE_ID + "-" + SPAN_ID + "-x",
        TRACE_ID + "-" + SPAN_ID + "-1-",
        TRACE_ID + "-" + SPAN_ID + "-1-" + PARENT_SPAN_ID + "0",
        TRACE_ID + "-" + SPAN_ID + "-1-" + "0000000000000000",
        TRACE_ID + "-" + SPAN_ID + "-10",
        TRACE_ID + "-" + SPAN_ID + "0",
        TRACE_ID + "-" + "0f067aa0ba902b7",
        TRACE_ID + "0-" + SPAN_ID,
        "4bf92f3577b34da6a3ce929d0e0e473-" + SPAN_ID,
        "00000000000000000000000000000000-" + SPAN_ID + "-1",
        TRACE_ID + "-0000000000000000-1",
        "0000000000000000-" + SPAN_ID,
        "4BF92F3577B34DA6A3CE929D0E0E4736-" + SPAN_ID + "-1",
        TRACE_ID + "-" + "00F067AA0BA902B7",
        TRACE_ID + ":" + SPAN_ID,
      })
  void single_malformed_isInvalid(String value) {
    FormatReading reading = single(value);

    assertThat(reading.valid()).isFalse();
    assertThat(reading.reason()).isNotBlank();
    assertThat(reading.spanContext()).isEqualTo(SpanContext.getInvalid());
  }

  @Test
  void multi_valid() {
    FormatReading reading =
        multi(
            "X-B3-TraceId", TRACE_ID,
            "X-B3-SpanId", SPAN_ID,
            "X-B3-ParentSpanId", PARENT_SPAN_ID,
            "X-B3-Sampled", "1");

    assertThat(reading.valid()).isTrue();
    assertThat(reading.format()).isEqualTo(Format.B3_MULTI);
    assertThat(reading.spanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(reading.spanContext().getSpanId()).isEqualTo(SPAN_ID);
    assertThat(reading.spanContext().isSampled()).isTrue();
  }

  @Test
  void multi_64bit_isLeftPadded() {
    assertThat(
            multi("X-B3-TraceId", TRACE_ID_64, "X-B3-SpanId", SPAN_ID).spanContext().getTraceId())
        .isEqualTo(TRACE_ID_64_PADDED);
  }

  @Test
  void multi_flags1_isDebugAndSampled() {
    FormatReading reading =
        multi("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Flags", "1");

    assertThat(reading.debug()).isTrue();
    assertThat(reading.sampled()).isTrue();
    assertThat(reading.spanContext().isSampled()).isTrue();
  }

  @Test
  void multi_legacyTrue_isSampled() {
    assertThat(
            multi("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "true")
                .sampled())
        .isTrue();
  }

  @Test
  void multi_samplingOnly_isValidWithoutParent() {
    FormatReading reading = multi("X-B3-Sampled", "0");

    assertThat(reading.valid()).isTrue();
    assertThat(reading.sampled()).isFalse();
    assertThat(reading.spanContext().isValid()).isFalse();
  }

  @Test
  void multi_flags0Alone_isInvalid() {
    FormatReading reading = multi("X-B3-Flags", "0");

    assertThat(reading.valid()).isFalse();
    assertThat(reading.sampled()).isNull();
  }

  @Test
  void multi_flags1Alone_isDebugWithoutParent() {
    FormatReading reading = multi("X-B3-Flags", "1");

    assertThat(reading.valid()).isTrue();
    assertThat(reading.debug()).isTrue();
    assertThat(reading.spanContext().isValid()).isFalse();
  }

  @Test
  void multi_missingSpanId_isInvalid() {
    assertThat(multi("X-B3-TraceId", TRACE_ID).reason()).contains("X-B3-SpanId missing");
  }

  @Test
  void multi_uppercase_isInvalid() {
    assertThat(multi("X-B3-TraceId", TRACE_ID.toUpperCase(), "X-B3-SpanId", SPAN_ID).valid())
        .isFalse();
  }

  @Test
  void multi_badSampled_isInvalid() {
    assertThat(
            multi("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "yes").valid())
        .isFalse();
  }

  @Test
  void multi_absent_isNull() {
    assertThat(multi("b3", TestObjects.B3)).isNull();
  }
}
