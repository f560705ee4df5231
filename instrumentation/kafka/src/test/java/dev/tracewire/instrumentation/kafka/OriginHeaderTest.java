package dev.tracewire.instrumentation.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class OriginHeaderTest {
  static final SpanContext ORIGINAL_SEND =
      SpanContext.createFromRemoteParent(
          "4bf92f3577b34da6a3ce929d0e0e4736",
          "00f067aa0ba902b7",
          TraceFlags.getSampled(),
          TraceState.getDefault());

  @Test
  void write_thenRead_isTheOriginalSend() {
    RecordHeaders headers = new RecordHeaders();
    OriginHeader.write(headers, ORIGINAL_SEND);

    assertThat(new String(headers.lastHeader(OriginHeader.NAME).value(), StandardCharsets.UTF_8))
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    SpanContext read = OriginHeader.read(headers);
    assertThat(read.getTraceId()).isEqualTo(ORIGINAL_SEND.getTraceId());
    assertThat(read.getSpanId()).isEqualTo(ORIGINAL_SEND.getSpanId());
  }

  @Test
  void write_twice_keepsOneHeader() {
    RecordHeaders headers = new RecordHeaders();
    OriginHeader.write(headers, ORIGINAL_SEND);
    OriginHeader.write(headers, ORIGINAL_SEND);

    assertThat(headers.headers(OriginHeader.NAME)).hasSize(1);
  }

  @Test
  void write_invalidContext_writesNothing() {
    RecordHeaders headers = new RecordHeaders();
    OriginHeader.write(headers, SpanContext.getInvalid());

    assertThat(headers.toArray()).isEmpty();
  }

  @Test
  void write_readOnlyHeaders_doesNotThrow() {
    RecordHeaders headers = new RecordHeaders();
    headers.setReadOnly();

    OriginHeader.write(headers, ORIGINAL_SEND);

    assertThat(headers.toArray()).isEmpty();
  }

  @Test
  void read_absentOrNullValue_isInvalid() {
    RecordHeaders headers = new RecordHeaders();
    assertThat(OriginHeader.read(headers).isValid()).isFalse();
    headers.add(OriginHeader.NAME, null);
    assertThat(OriginHeader.read(headers).isValid()).isFalse();
    assertThat(OriginHeader.read(null).isValid()).isFalse();
  }

  @Test
  void read_uppercaseHex_isInvalid() {
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        OriginHeader.NAME,
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01".getBytes(StandardCharsets.UTF_8));

    assertThat(OriginHeader.read(headers).isValid()).isFalse();
  }

  @Test
  void read_arbitraryBytes_neverThrowsAndRoundTripsWhatItAccepts() {
    Random random = new Random(4242);
    for (int i = 0; i < 10_000; i++) {
      byte[] value = new byte[random.nextInt(70)];
      random.nextBytes(value);
      if (i % 2 == 0) {
        // mutate a valid header in one place: the interesting neighbourhood
        value = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes();
        value[random.nextInt(value.length)] = (byte) random.nextInt(128);
      }
      RecordHeaders headers = new RecordHeaders();
      headers.add(OriginHeader.NAME, value);

      SpanContext read = OriginHeader.read(headers);

      if (read.isValid()) {
        RecordHeaders rewritten = new RecordHeaders();
        OriginHeader.write(rewritten, read);
        assertThat(OriginHeader.read(rewritten)).isEqualTo(read);
      }
    }
  }
}
