package dev.tracewire.instrumentation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.impl.LongStringHelper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void get_longString_isDecoded() {
    Map<String, Object> headers = Map.of("traceparent", LongStringHelper.asLongString(TRACEPARENT));
    assertThat(Headers.INSTANCE.get(headers, "traceparent")).isEqualTo(TRACEPARENT);
  }

  @Test
  void get_bytes_areDecodedAsUtf8() {
    Map<String, Object> headers = Map.of("baggage", "k=v\u00e9".getBytes(StandardCharsets.UTF_8));
    assertThat(Headers.INSTANCE.get(headers, "baggage")).isEqualTo("k=v\u00e9");
  }

  @Test
  void get_stringAndNumbers_areText() {
    Map<String, Object> headers = Map.of("traceparent", TRACEPARENT, "X-B3-Sampled", 1);
    assertThat(Headers.INSTANCE.get(headers, "traceparent")).isEqualTo(TRACEPARENT);
    assertThat(Headers.INSTANCE.get(headers, "X-B3-Sampled")).isEqualTo("1");
  }

  @Test
  void get_otherCase_isFound() {
    Map<String, Object> headers = Map.of("x-b3-traceid", "463ac35c9f6413ad");
    assertThat(Headers.INSTANCE.get(headers, "X-B3-TraceId")).isEqualTo("463ac35c9f6413ad");
  }

  @Test
  void get_tableOrArray_isNotText() {
    Map<String, Object> headers = Map.of("x-death", List.of(Map.of("reason", "expired")));
    assertThat(Headers.INSTANCE.get(headers, "x-death")).isNull();
  }

  @Test
  void get_absentOrNullCarrier_isNull() {
    assertThat(Headers.INSTANCE.get(Map.of(), "traceparent")).isNull();
    assertThat(Headers.INSTANCE.get(null, "traceparent")).isNull();
    assertThat(Headers.INSTANCE.keys(null)).isEmpty();
  }

  @Test
  void set_writesStrings() {
    Map<String, Object> headers = new HashMap<>();
    Headers.INSTANCE.set(headers, "traceparent", TRACEPARENT);
    Headers.INSTANCE.set(headers, "baggage", null);
    assertThat(headers).containsExactly(Map.entry("traceparent", TRACEPARENT));
  }

  @Test
  void death_latestEntryIsRead() {
    Map<String, Object> headers =
        Map.of(
            "x-death",
            List.of(
                Map.of(
                    "reason", LongStringHelper.asLongString("rejected"),
                    "queue", LongStringHelper.asLongString("work"),
                    "count", 2L),
                Map.of("reason", LongStringHelper.asLongString("expired"), "count", 1L)));
    Death death = Death.of(headers);
    assertThat(death.reason).isEqualTo("rejected");
    assertThat(death.queue).isEqualTo("work");
    assertThat(death.count).isEqualTo(2L);
  }

  @Test
  void death_absentOrMalformed() {
    assertThat(Death.of(null)).isNull();
    assertThat(Death.of(Map.of())).isNull();
    assertThat(Death.of(Map.of("x-death", "expired"))).isNull();
    assertThat(Death.of(Map.of("x-death", List.of("expired"))).reason).isNull();
  }

  @Test
  void messageIds_are32LowerHexAndDiffer() {
    String a = MessageIds.next();
    String b = MessageIds.next();
    assertThat(a).matches("[0-9a-f]{32}");
    assertThat(a).isNotEqualTo(b);
  }
}
