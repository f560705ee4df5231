package dev.tracewire.instrumentation.redis;

import dev.tracewire.propagation.HopDiagnostics;
import io.lettuce.core.StreamMessage;
import io.opentelemetry.context.Context;

/** One stream entry or Pub/Sub message, published or delivered. */
final class RedisRequest {
  final String destination;
  final boolean stream;
  final String entryId;
  final String group;
  final Long deliveredCount;
  final long size;

  /** The context current when the message arrived; {@code null} for publishes. */
  final Context base;

  /** {@link #base} with what the message carried; {@code null} for publishes. */
  final Context extracted;

  private RedisRequest(
      String destination,
      boolean stream,
      String entryId,
      String group,
      Long deliveredCount,
      long size,
      Context base,
      Context extracted) {
    this.destination = destination;
    this.stream = stream;
    this.entryId = entryId;
    this.group = group;
    this.deliveredCount = deliveredCount;
    this.size = size;
    this.base = base;
    this.extracted = extracted;
  }

  /** {@code size}: entry fields of a stream entry, bytes of a Pub/Sub message. */
  static RedisRequest publish(String destination, boolean stream, long size) {
    return new RedisRequest(destination, stream, null, null, null, size, null, null);
  }

  static RedisRequest entry(
      StreamMessage<String, String> entry,
      String group,
      long fields,
      Context base,
      Context extracted) {
    return new RedisRequest(
        entry.getStream(),
        true,
        entry.getId(),
        group,
        entry.getDeliveredCount(),
        fields,
        base,
        extracted);
  }

  static RedisRequest message(String channel, long bytes, Context base, Context extracted) {
    return new RedisRequest(channel, false, null, null, null, bytes, base, extracted);
  }

  /** Hop diagnostics of this message, or {@code null} when extract recorded none for it. */
  HopDiagnostics diagnostics() {
    if (extracted == null || extracted == base) return null;
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(extracted);
    // a propagator that records none leaves the diagnostics of an outer request in the context
    if (diagnostics == null || diagnostics == HopDiagnostics.fromContext(base)) return null;
    return diagnostics;
  }
}
