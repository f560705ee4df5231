package dev.tracewire.propagation;

import static dev.tracewire.propagation.TestObjects.SPAN_ID;
import static dev.tracewire.propagation.TestObjects.TRACEPARENT;
import static dev.tracewire.propagation.TestObjects.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextCodecTest {
  static FormatReading parse(String value) {
    return TraceContextCodec.parse(value, 0, value.length(), TraceState.getDefault());
  }

  static FormatReading read(Headers headers) {
    return TraceContextCodec.INSTANCE.read(headers, Headers.GETTER);
  }

  @Test
  void extract_valid_keepsIdsAndSampled() {
    FormatReading reading = parse(TRACEPARENT);

    assertThat(reading.valid()).isTrue();
    assertThat(reading.reason()).isNull();
    assertThat(reading.spanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(reading.spanContext().getSpanId()).isEqualTo(SPAN_ID);
    assertThat(reading.spanContext().isRemote()).isTrue();
    assertThat(reading.spanContext().isSampled()).isTrue();
    assertThat(reading.sampled()).isTrue();
  }

  @Test
  void extract_randomFlag_isKept() {
    FormatReading reading = parse(TestObjects.TRACEPARENT_RANDOM);

    assertThat(reading.spanContext().getTraceFlags().asByte()).isEqualTo((byte) 0x03);
    assertThat(reading.spanContext().getTraceFlags().isTraceIdRandom()).isTrue();
  }

  @Test
  void extract_randomFlagOnly_isKeptAndNotSampled() {
    FormatReading reading = parse("00-" + TRACE_ID + "-" + SPAN_ID + "-02");

    assertThat(reading.spanContext().getTraceFlags().asByte()).isEqualTo((byte) 0x02);
    assertThat(reading.spanContext().isSampled()).isFalse();
  }

  @Test
  void extract_unknownFlagBits_areZeroed() {
    FormatReading reading = parse("00-" + TRACE_ID + "-" + SPAN_ID + "-ff");

    assertThat(reading.valid()).isTrue();
    assertThat(reading.spanContext().getTraceFlags().asByte()).isEqualTo((byte) 0x03);
  }

  @Test
  void inject_unknownFlagBits_areZeroed() {
    Headers out = new Headers();
    SpanContext withAllBits =
        SpanContext.create(
            TRACE_ID,
            SPAN_ID,
            io.opentelemetry.api.trace.TraceFlags.fromByte((byte) 0xff),
            TraceState.getDefault());

    TraceContextCodec.INSTANCE.write(
        io.opentelemetry.context.Context.root(), withAllBits, out, Headers.SETTER);

    assertThat(out.get("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-03");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " " + TRACEPARENT,
        "\t" + TRACEPARENT,
        TRACEPARENT + " ",
        TRACEPARENT + "\t",
        "\t " + TRACEPARENT + " \t"
      })
  void extract_surroundingOws_isTrimmed(String value) {
    assertThat(parse(value).spanContext().getTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void extract_uppercaseHex_isInvalid() {
    FormatReading reading = parse(TestObjects.TRACEPARENT_UPPERCASE);

    assertThat(reading.valid()).isFalse();
    assertThat(reading.reason()).contains("trace-id");
    assertThat(reading.spanContext()).isEqualTo(SpanContext.getInvalid());
  }

  @Test
  void extract_uppercaseSpanId_isInvalid() {
    assertThat(parse("00-" + TRACE_ID + "-" + SPAN_ID.toUpperCase() + "-01").valid()).isFalse();
  }

  @Test
  void extract_uppercaseFlags_isInvalid() {
    assertThat(parse("00-" + TRACE_ID + "-" + SPAN_ID + "-0A").valid()).isFalse();
  }

  @Test
  void extract_allZeroTraceId_isInvalid() {
    FormatReading reading = parse("00-00000000000000000000000000000000-" + SPAN_ID + "-01");

    assertThat(reading.valid()).isFalse();
    assertThat(reading.reason()).isEqualTo("trace-id: all zeros");
  }

  @Test
  void extract_allZeroParentId_isInvalid() {
    FormatReading reading = parse("00-" + TRACE_ID + "-0000000000000000-01");

    assertThat(reading.valid()).isFalse();
    assertThat(reading.reason()).isEqualTo("parent-id: all zeros");
  }

  @Test
  void extract_versionFf_isInvalid() {
    FormatReading reading = parse("ff-" + TRACE_ID + "-" + SPAN_ID + "-01");

    assertThat(reading.valid()).isFalse();
    assertThat(reading.reason()).isEqualTo("version ff is forbidden");
  }

  @Test
  void extract_futureVersion_isParsed() {
    assertThat(parse("cc-" + TRACE_ID + "-" + SPAN_ID + "-01").spanContext().getTraceId())
        .isEqualTo(TRACE_ID);
  }

  @Test
  void extract_futureVersionWithDashedSuffix_isParsed() {
    FormatReading reading = parse("cc-" + TRACE_ID + "-" + SPAN_ID + "-01-what-the-future-holds");

    assertThat(reading.valid()).isTrue();
    assertThat(reading.spanContext().getTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void extract_futureVersionWithUndashedSuffix_isInvalid() {
    assertThat(parse("cc-" + TRACE_ID + "-" + SPAN_ID + "-01.what-the-future-holds").valid())
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        TRACEPARENT + ".", // version 00 has exactly 55 characters
        TRACEPARENT + "-what-the-future-will-be-like",
        ".0-" + TRACE_ID + "-" + SPAN_ID + "-01",
        "0.-" + TRACE_ID + "-" + SPAN_ID + "-01",
        "000-" + TRACE_ID + "-" + SPAN_ID + "-01",
        "0-" + TRACE_ID + "-" + SPAN_ID + "-01",
        "00-" + TRACE_ID + "1-" + SPAN_ID + "-01",
        "00-" + "1234567890123456789012345678901-" + SPAN_ID + "-01",
        "00-.234567890123456789012345678901-" + SPAN_ID + "-01",
        "00-" + TRACE_ID + "-" + SPAN_ID + "7-01",
        "00-" + TRACE_ID + "-123456789012345-01",
        "00-" + TRACE_ID + "-.23456789012345a-01",
        "00-" + TRACE_ID + "-" + SPAN_ID + "-.0",
        "00-" + TRACE_ID + "-" + SPAN_ID + "-001",
        "00-" + TRACE_ID + "-" + SPAN_ID + "-1",
        "00_" + TRACE_ID + "_" + SPAN_ID + "_01",
        "",
        " \t ",
      })
  void extract_malformed_isInvalid(String value) {
    FormatReading reading = parse(value);

    assertThat(reading.valid()).isFalse();
    assertThat(reading.reason()).isNotBlank();
    assertThat(reading.spanContext()).isEqualTo(SpanContext.getInvalid());
  }

  @Test
  void extract_twoTraceparentHeaders_isInvalid() {
    FormatReading reading =
        read(Headers.of("traceparent", TRACEPARENT, "traceparent", TRACEPARENT));

    assertThat(reading.valid()).isFalse();
    assertThat(reading.reason()).isEqualTo("more than one traceparent header");
  }

  @Test
  void extract_tracestate_isKept() {
    FormatReading reading =
        read(Headers.of("traceparent", TRACEPARENT, "tracestate", TestObjects.TRACESTATE));

    TraceState traceState = reading.spanContext().getTraceState();
    assertThat(traceState.get("rojo")).isEqualTo("00f067aa0ba902b7");
    assertThat(traceState.get("congo")).isEqualTo("t61rcWkgMzE");
  }

  @Test
  void extract_invalidTraceparent_dropsTracestate() {
    FormatReading reading =
        read(
            Headers.of(
                "traceparent",
                TestObjects.TRACEPARENT_UPPERCASE,
                "tracestate",
                TestObjects.TRACESTATE));

    assertThat(reading.valid()).isFalse();
    assertThat(reading.spanContext().getTraceState().isEmpty()).isTrue();
  }

  @Test
  void extract_noTraceparent_isAbsent() {
    assertThat(read(Headers.of("tracestate", "foo=1"))).isNull();
  }

  @Test
  void inject_writesVersion00AndTracestate() {
    FormatReading reading =
        read(Headers.of("traceparent", TRACEPARENT, "tracestate", "foo=1 , bar=2"));
    Headers out = new Headers();

    TraceContextCodec.INSTANCE.write(
        io.opentelemetry.context.Context.root(), reading.spanContext(), out, Headers.SETTER);

    assertThat(out.get("traceparent")).isEqualTo(TRACEPARENT);
    assertThat(out.get("tracestate")).isEqualTo("foo=1,bar=2");
  }
}
