package dev.tracewire.propagation;

import static dev.tracewire.propagation.TestObjects.SPAN_ID;
import static dev.tracewire.propagation.TestObjects.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JaegerCodecTest {
  static FormatReading parse(String value) {
    return JaegerCodec.parse(value, 0, value.length());
  }

  @Test
  void extract_valid() {
    FormatReading reading = parse(TestObjects.UBER_TRACE_ID);

    assertThat(reading.valid()).isTrue();
    assertThat(reading.spanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(reading.spanContext().getSpanId()).isEqualTo(SPAN_ID);
    assertThat(reading.sampled()).isTrue();
  }

  @Test
  void extract_urlEncoded_isParsed() {
    FormatReading reading = parse(TestObjects.UBER_TRACE_ID_URL_ENCODED);

    assertThat(reading.valid()).isTrue();
    assertThat(reading.spanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(reading.spanContext().getSpanId()).isEqualTo(SPAN_ID);
  }

  @Test
  void extract_lowercaseUrlEncoded_isParsed() {
    assertThat(parse(TRACE_ID + "%3a" + SPAN_ID + "%3a0%3a1").valid()).isTrue();
  }

  @Test
  void extract_shortIds_areLeftPadded() {
    FormatReading reading = parse("abc:def:0:1");

    assertThat(reading.spanContext().getTraceId()).isEqualTo("00000000000000000000000000000abc");
    assertThat(reading.spanContext().getSpanId()).isEqualTo("0000000000000def");
  }

  @Test
  void extract_64bitTraceId_isLeftPadded() {
    assertThat(parse(TestObjects.TRACE_ID_64 + ":" + SPAN_ID + ":0:1").spanContext().getTraceId())
        .isEqualTo(TestObjects.TRACE_ID_64_PADDED);
  }

  @Test
  void extract_uppercaseHex_isAccepted() {
    assertThat(parse(TRACE_ID.toUpperCase() + ":" + SPAN_ID + ":0:1").spanContext().getTraceId())
        .isEqualTo(TRACE_ID);
  }

  @Test
  void extract_debugFlag() {
    FormatReading reading = parse(TRACE_ID + ":" + SPAN_ID + ":0:3");

    assertThat(reading.debug()).isTrue();
    assertThat(reading.sampled()).isTrue();
  }

  @Test
  void extract_notSampled() {
    assertThat(parse(TRACE_ID + ":" + SPAN_ID + ":0:0").spanContext().isSampled()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        TRACE_ID + ":" + SPAN_ID + ":0",
        TRACE_ID + ":" + SPAN_ID + ":0:1:1",
        TRACE_ID + "0:" + SPAN_ID + ":0:1",
        TRACE_ID + ":" + SPAN_ID + "0:0:1",
        "0:" + SPAN_ID + ":0:1",
        TRACE_ID + ":0:0:1",
        TRACE_ID + ":" + SPAN_ID + "::1",
        TRACE_ID + ":" + SPAN_ID + ":0:",
        TRACE_ID + ":" + SPAN_ID + ":0:100",
        TRACE_ID + ":" + SPAN_ID + ":x:1",
        ":" + SPAN_ID + ":0:1",
        TRACE_ID + "%3" + SPAN_ID + "%3A0%3A1",
        "gbf92f3577b34da6a3ce929d0e0e4736:" + SPAN_ID + ":0:1",
      })
  void extract_malformed_isInvalid(String value) {
    FormatReading reading = parse(value);

    assertThat(reading.valid()).isFalse();
    assertThat(reading.reason()).isNotBlank();
    assertThat(reading.spanContext()).isEqualTo(SpanContext.getInvalid());
  }
}
