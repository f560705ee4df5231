package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.LongString;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes trace headers in an AMQP header table. The client decodes every AMQP {@code
 * longstr} as a {@link LongString}, and other clients send {@code byte[]} or strings: all read as
 * text.
 */
enum Headers implements TextMapGetter<Map<String, Object>>, TextMapSetter<Map<String, Object>> {
  INSTANCE;

  /**
   * How the default exchange ({@code ""}) is named in attributes, as OpenTelemetry's agent does.
   */
  static final String DEFAULT_EXCHANGE = "<default>";

  /** Propagator fields a republished message keeps: application data, not the old trace. */
  static final Set<String> KEPT_ON_REPUBLISH = Set.of("baggage", "x-request-id");

  @Override
  public Iterable<String> keys(Map<String, Object> carrier) {
    return carrier == null ? Collections.emptyList() : carrier.keySet();
  }

  @Override
  public String get(Map<String, Object> carrier, String key) {
    if (carrier == null || key == null) return null;
    Object value = carrier.get(key);
    if (value == null) {
      // AMQP header names are case-sensitive, but senders spell X-B3-TraceId either way
      for (Map.Entry<String, Object> entry : carrier.entrySet()) {
        if (key.equalsIgnoreCase(entry.getKey())) {
          value = entry.getValue();
          break;
        }
      }
    }
    return text(value);
  }

  @Override
  public void set(Map<String, Object> carrier, String key, String value) {
    if (carrier != null && key != null && value != null) carrier.put(key, value);
  }

  /** A header value as text, or {@code null} when it is absent or not a scalar. */
  static String text(Object value) {
    if (value == null) return null;
    if (value instanceof String) return (String) value;
    if (value instanceof LongString) return value.toString();
    if (value instanceof byte[]) return new String((byte[]) value, StandardCharsets.UTF_8);
    if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
      return value.toString();
    }
    return null;
  }

  static List<String> asList(Map<String, Object> headers, String name) {
    if (headers == null) return Collections.emptyList();
    String value = text(headers.get(name));
    return value == null ? Collections.emptyList() : Collections.singletonList(value);
  }

  static String exchangeName(String exchange) {
    return exchange == null || exchange.isEmpty() ? DEFAULT_EXCHANGE : exchange;
  }

  @Override
  public String toString() {
    return "RabbitHeaders";
  }
}
