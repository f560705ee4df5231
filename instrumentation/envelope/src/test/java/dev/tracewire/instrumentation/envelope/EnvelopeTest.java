package dev.tracewire.instrumentation.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  static final Map<String, String> TRACE =
      Map.of(
          "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "baggage", "tracewire.hop=1");

  // a fixed seed per run is printed by the assertion descriptions, so a failure can be replayed
  final long seed = System.nanoTime();
  final Random random = new Random(seed);

  @Test
  void wrap_thenUnwrap_keepsFieldsAndPayload() {
    byte[] payload = "{\"order\":1}".getBytes(StandardCharsets.UTF_8);
    Envelope envelope = Envelope.unwrap(Envelope.wrap(TRACE, payload));
    assertThat(envelope).isNotNull();
    assertThat(envelope.fields()).isEqualTo(TRACE);
    assertThat(envelope.payload()).isEqualTo(payload);
  }

  @Test
  void wrap_startsWithMagicAndVersion() {
    byte[] wire = Envelope.wrap(Map.of(), new byte[0]);
    assertThat(wire).startsWith(0x00, 0x54, 0x57, 0x45, Envelope.VERSION);
    assertThat(wire).hasSize(Envelope.OVERHEAD);
  }

  @Test
  void wrap_fieldTooLong_isLeftOutNotThrown() {
    Map<String, String> fields = new LinkedHashMap<>(TRACE);
    fields.put("k".repeat(256), "v");
    fields.put("big", "v".repeat(70_000));
    Envelope envelope = Envelope.unwrap(Envelope.wrap(fields, new byte[] {1}));
    assertThat(envelope.fields()).isEqualTo(TRACE);
  }

  @Test
  void randomPayloads_roundTripByteForByte() {
    for (int n = 0; n < 2_000; n++) {
      byte[] payload = randomBytes(random.nextInt(n % 10 == 0 ? 70_000 : 300));
      Map<String, String> fields = randomFields();
      Envelope envelope = Envelope.unwrap(Envelope.wrap(fields, payload));
      assertThat(envelope).as("seed %s, case %s", seed, n).isNotNull();
      assertThat(envelope.payload()).as("seed %s, case %s", seed, n).isEqualTo(payload);
      assertThat(envelope.fields()).as("seed %s, case %s", seed, n).isEqualTo(fields);
    }
  }

  @Test
  void envelopeAsPayload_unwrapsOneLevelOnly() {
    byte[] inner = Envelope.wrap(TRACE, new byte[] {7});
    Envelope outer = Envelope.unwrap(Envelope.wrap(Map.of("a", "b"), inner));
    assertThat(outer.payload()).isEqualTo(inner);
  }

  @Test
  void randomForeignPayloads_areNeverEnvelopes() {
    for (int n = 0; n < 20_000; n++) {
      byte[] foreign = randomBytes(random.nextInt(200));
      if (n % 2 == 0 && foreign.length >= 6) {
        // the hardest foreign payloads start like an envelope
        System.arraycopy(Envelope.MAGIC, 0, foreign, 0, 4);
        foreign[4] = Envelope.VERSION;
      }
      assertThat(Envelope.isEnvelope(foreign)).as("seed %s, case %s", seed, n).isFalse();
      assertThat(Envelope.unwrap(foreign)).as("seed %s, case %s", seed, n).isNull();
    }
  }

  @Test
  void damagedEnvelopes_areNeverEnvelopes() {
    for (int n = 0; n < 2_000; n++) {
      byte[] wire = Envelope.wrap(randomFields(), randomBytes(random.nextInt(100)));
      byte[] flipped = wire.clone();
      flipped[random.nextInt(wire.length)] ^= (byte) (1 << random.nextInt(8));
      byte[] truncated = java.util.Arrays.copyOf(wire, random.nextInt(wire.length));
      byte[] extended = java.util.Arrays.copyOf(wire, wire.length + 1 + random.nextInt(4));
      assertThat(Envelope.unwrap(flipped)).as("seed %s, flipped %s", seed, n).isNull();
      assertThat(Envelope.unwrap(truncated)).as("seed %s, truncated %s", seed, n).isNull();
      assertThat(Envelope.unwrap(extended)).as("seed %s, extended %s", seed, n).isNull();
    }
  }

  @Test
  void textPayloads_areNeverEnvelopes() {
    for (String text : new String[] {"", "hello", "{\"a\":1}", "\0TWE", "\0TWE\1\0\0\0\0\0"}) {
      assertThat(Envelope.unwrap(text.getBytes(StandardCharsets.UTF_8))).as(text).isNull();
    }
    assertThat(Envelope.unwrap(null)).isNull();
  }

  @Test
  void otherVersion_isNotRead() {
    byte[] wire = Envelope.wrap(TRACE, new byte[] {1});
    wire[4] = 2;
    assertThat(Envelope.unwrap(wire)).isNull();
  }

  Map<String, String> randomFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    int count = random.nextInt(6);
    for (int f = 0; f < count; f++) {
      fields.put(randomText(1 + random.nextInt(20)), randomText(random.nextInt(120)));
    }
    return fields;
  }

  String randomText(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int c = 0; c < length; c++) {
      // mostly ASCII, some multi-byte characters
      text.append(
          random.nextInt(8) == 0
              ? (char) (0xA0 + random.nextInt(0x700))
              : (char) (0x20 + random.nextInt(0x5F)));
    }
    return text.toString();
  }

  byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
