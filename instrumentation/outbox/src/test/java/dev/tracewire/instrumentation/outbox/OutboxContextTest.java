package dev.tracewire.instrumentation.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutboxContextTest {
  static final Map<String, String> FIELDS =
      Map.of(
          "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "baggage", "tenant=acme,note=a:b");

  @Test
  void encode_thenDecode_keepsFields() {
    assertThat(OutboxContext.decode(OutboxContext.encode(FIELDS))).isEqualTo(FIELDS);
  }

  @Test
  void encode_skipsValuesWithLineBreaks() {
    Map<String, String> fields = new LinkedHashMap<>(FIELDS);
    fields.put("evil", "a\nforged: 1");
    assertThat(OutboxContext.decode(OutboxContext.encode(fields))).isEqualTo(FIELDS);
  }

  @Test
  void decode_nullOrEmpty_isEmpty() {
    assertThat(OutboxContext.decode(null)).isEmpty();
    assertThat(OutboxContext.decode("")).isEmpty();
    assertThat(OutboxContext.decode("no colon here\n:\n")).isEmpty();
  }

  @Test
  void decode_randomText_neverThrows() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int n = 0; n < 10_000; n++) {
      char[] text = new char[random.nextInt(80)];
      for (int i = 0; i < text.length; i++) {
        text[i] = ":\n\r ab-=,".charAt(random.nextInt(9));
      }
      Map<String, String> fields = OutboxContext.decode(new String(text));
      assertThat(fields.keySet())
          .as("seed %s", seed)
          .allSatisfy(k -> assertThat(k).doesNotContain("\n").isNotEmpty());
    }
  }
}
