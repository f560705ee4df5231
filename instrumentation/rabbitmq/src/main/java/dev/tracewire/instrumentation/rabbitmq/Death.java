package dev.tracewire.instrumentation.rabbitmq;

import java.util.List;
import java.util.Map;

/**
 * The latest entry of the {@code x-death} header the broker adds when it dead-letters a message:
 * the message came back, and the trace context in its headers is still the original publish's.
 */
final class Death {
  static final String HEADER = "x-death";

  final String reason;
  final String queue;
  final long count;

  private Death(String reason, String queue, long count) {
    this.reason = reason;
    this.queue = queue;
    this.count = count;
  }

  /** Returns the most recent death recorded in {@code headers}, or {@code null} when none. */
  static Death of(Map<String, Object> headers) {
    if (headers == null) return null;
    Object deaths = headers.get(HEADER);
    if (!(deaths instanceof List) || ((List<?>) deaths).isEmpty()) return null;
    // the broker keeps the most recent death first
    Object latest = ((List<?>) deaths).get(0);
    if (!(latest instanceof Map)) return new Death(null, null, 0);
    Map<?, ?> table = (Map<?, ?>) latest;
    Object count = table.get("count");
    return new Death(
        Headers.text(table.get("reason")),
        Headers.text(table.get("queue")),
        count instanceof Number ? ((Number) count).longValue() : 0);
  }
}
