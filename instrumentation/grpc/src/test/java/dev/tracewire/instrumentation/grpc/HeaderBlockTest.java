package dev.tracewire.instrumentation.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderBlockTest {

  @Test
  void encode_thenDecode_roundTrips() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    fields.put("baggage", "k=v;p=1,other=a%20b");
    fields.put("x-request-id", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    String block = HeaderBlock.encode(fields);
    assertThat(block)
        .isEqualTo(
            "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n"
                + "baggage: k=v;p=1,other=a%20b\n"
                + "x-request-id: f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    assertThat(HeaderBlock.decode(block)).containsExactlyEntriesOf(fields);
  }

  @Test
  void encode_nothing_isEmpty() {
    assertThat(HeaderBlock.encode(Map.of())).isEmpty();
    assertThat(HeaderBlock.decode("")).isEmpty();
    assertThat(HeaderBlock.decode(null)).isEmpty();
  }

  @Test
  void decode_linesWithoutNameOrSeparator_areSkipped_firstValueWins() {
    assertThat(HeaderBlock.decode("garbage\n: no-name\nb3: 1\nb3: 0\nkey:no-space\n\n"))
        .containsExactly(Map.entry("b3", "1"));
  }

  @Test
  void decode_arbitraryInput_neverThrows_andNamesHaveNoSeparator() {
    Random random = new Random(4);
    String alphabet = "ab:\n \r=-;,\u00e9";
    for (int i = 0; i < 20_000; i++) {
      char[] chars = new char[random.nextInt(40)];
      for (int c = 0; c < chars.length; c++) {
        chars[c] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      Map<String, String> fields = HeaderBlock.decode(new String(chars));
      for (Map.Entry<String, String> field : fields.entrySet()) {
        assertThat(field.getKey()).isNotEmpty().doesNotContain("\n").doesNotContain(": ");
        assertThat(field.getValue()).doesNotContain("\n");
      }
    }
  }
}
