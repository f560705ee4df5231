package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads and writes trace headers on Kafka record headers (UTF-8 values, last one wins). */
enum KafkaHeaders implements TextMapGetter<Headers>, TextMapSetter<Headers> {
  INSTANCE;

  private static final Logger logger = Logger.getLogger(KafkaHeaders.class.getName());
  private static final Set<String> KEPT_ON_RESEND = Set.of("baggage", "x-request-id");

  @Override
  public Iterable<String> keys(Headers headers) {
    List<String> keys = new ArrayList<>();
    for (Header header : headers) keys.add(header.key());
    return keys;
  }

  @Override
  public String get(Headers headers, String key) {
    if (headers == null) return null;
    Header header = headers.lastHeader(key);
    if (header == null || header.value() == null) return null;
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void set(Headers headers, String key, String value) {
    if (headers == null) return;
    try {
      // a re-sent record still carries the old trace headers: replace, never duplicate
      headers.remove(key);
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalStateException e) {
      // a record already handed to a producer has read-only headers; the send must go on
      logger.log(Level.FINE, "read-only headers, not written: " + key, e);
    }
  }

  /**
   * Removes the trace-identity headers among {@code fields}; baggage and the request id describe
   * the request, not the span, and stay.
   */
  static void removeTraceHeaders(Headers headers, Collection<String> fields) {
    try {
      for (String field : fields) {
        if (!KEPT_ON_RESEND.contains(field)) headers.remove(field);
      }
    } catch (IllegalStateException e) {
      logger.log(Level.FINE, "read-only headers, trace headers not removed", e);
    }
  }

  static boolean isEmpty(Headers headers) {
    return headers == null || !headers.iterator().hasNext();
  }
}
