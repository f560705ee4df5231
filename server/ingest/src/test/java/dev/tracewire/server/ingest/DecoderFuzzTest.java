package dev.tracewire.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.SpanValidation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesEncoder;

/** Arbitrary bytes never make a decoder throw, and never yield a span that fails validation. */
class DecoderFuzzTest {
  @Test
  void decode_mutatedBodies_neverThrowNorYieldInvalidSpans() {
    Random random = new Random(42);
    byte[][] seeds = {
      OtlpProtoDecoderTest.request(OtlpProtoDecoderTest.fullSpan()).toByteArray(),
      OtlpJsonDecoderTest.FULL.getBytes(StandardCharsets.UTF_8),
      SpanBytesEncoder.JSON_V2.encodeList(List.of(ZipkinDecoderTest.CLIENT)),
      SpanBytesEncoder.PROTO3.encodeList(List.of(ZipkinDecoderTest.CLIENT)),
    };
    int malformed = 0;
    for (int i = 0; i < 4000; i++) {
      byte[] body = seeds[i % seeds.length].clone();
      int mutations = 1 + random.nextInt(4);
      for (int m = 0; m < mutations; m++) {
        body[random.nextInt(body.length)] = (byte) random.nextInt(256);
      }
      if (random.nextBoolean()) body = java.util.Arrays.copyOf(body, random.nextInt(body.length));
      for (SpanFormat format : SpanFormat.values()) {
        DecodeResult result = format.decode(body);
        if (result.isMalformed()) {
          malformed++;
          assertThat(result.spans()).isEmpty();
        }
        result.spans().forEach(s -> assertThat(SpanValidation.problem(s)).isNull());
      }
    }
    assertThat(malformed).isPositive();
  }
}
