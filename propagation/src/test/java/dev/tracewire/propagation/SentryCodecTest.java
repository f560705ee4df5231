package dev.tracewire.propagation;

import static dev.tracewire.propagation.TestObjects.SPAN_ID;
import static dev.tracewire.propagation.TestObjects.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SentryCodecTest {
  static FormatReading parse(String value) {
    return SentryCodec.parse(value, 0, value.length());
  }

  @Test
  void extract_sampled() {
    FormatReading reading = parse(TestObjects.SENTRY_TRACE);

    assertThat(reading.valid()).isTrue();
    assertThat(reading.spanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(reading.spanContext().getSpanId()).isEqualTo(SPAN_ID);
    assertThat(reading.sampled()).isTrue();
    assertThat(reading.spanContext().isSampled()).isTrue();
  }

  @Test
  void extract_notSampled() {
    assertThat(parse(TRACE_ID + "-" + SPAN_ID + "-0").sampled()).isFalse();
  }

  @Test
  void extract_withoutSampledFlag_defers() {
    FormatReading reading = parse(TestObjects.SENTRY_TRACE_DEFERRED);

    assertThat(reading.valid()).isTrue();
    assertThat(reading.sampled()).isNull();
    assertThat(reading.spanContext().getTraceId()).isEqualTo(TRACE_ID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        TRACE_ID,
        TRACE_ID + "-" + SPAN_ID + "-",
        TRACE_ID + "-" + SPAN_ID + "-2",
        TRACE_ID + "-" + SPAN_ID + "-10",
        TestObjects.TRACE_ID_64 + "-" + SPAN_ID + "-1",
        "4BF92F3577B34DA6A3CE929D0E0E4736-" + SPAN_ID + "-1",
        "00000000000000000000000000000000-" + SPAN_ID + "-1",
        TRACE_ID + "-0000000000000000-1",
        TRACE_ID + "_" + SPAN_ID + "-1",
      })
  void extract_malformed_isInvalid(String value) {
    FormatReading reading = parse(value);

    assertThat(reading.valid()).isFalse();
    assertThat(reading.spanContext()).isEqualTo(SpanContext.getInvalid());
  }
}
