package dev.tracewire.server.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceIdTest {
  @Test
  void fromHex_128bit_roundTripsLowerHex() {
    TraceId id = TraceId.fromHex("4BF92F3577B34DA6a3ce929d0e0e4736");

    assertThat(id.high()).isEqualTo(0x4bf92f3577b34da6L);
    assertThat(id.low()).isEqualTo(0xa3ce929d0e0e4736L);
    assertThat(id.toHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void fromHex_64bit_isLeftPadded() {
    assertThat(TraceId.fromHex("a3ce929d0e0e4736").toHex())
        .isEqualTo("0000000000000000a3ce929d0e0e4736");
  }

  @Test
  void fromHex_badInput_isNull() {
    assertThat(TraceId.fromHex(null)).isNull();
    assertThat(TraceId.fromHex("")).isNull();
    assertThat(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e473")).isNull();
    assertThat(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e473g")).isNull();
  }

  @Test
  void fromBytes_roundTrips() {
    TraceId id = TraceId.of(0x0102030405060708L, 0xf1f2f3f4f5f6f7f8L);

    assertThat(TraceId.fromBytes(id.toBytes())).isEqualTo(id);
    assertThat(TraceId.fromBytes(new byte[15])).isNull();
    assertThat(TraceId.fromBytes(new byte[16]).isValid()).isFalse();
  }

  @Test
  void spanId_hexAndBytes_roundTrip() {
    long id = SpanId.fromHex("00F067AA0BA902B7");

    assertThat(SpanId.toHex(id)).isEqualTo("00f067aa0ba902b7");
    assertThat(SpanId.fromBytes(SpanId.toBytes(id))).isEqualTo(id);
    assertThat(SpanId.fromHex("00f067aa0ba902bz")).isEqualTo(SpanId.NONE);
  }
}
