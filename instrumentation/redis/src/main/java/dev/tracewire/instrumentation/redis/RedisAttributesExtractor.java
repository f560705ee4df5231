package dev.tracewire.instrumentation.redis;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/**
 * Redis's own attributes (stream or Pub/Sub, consumer group, delivery count) and, on deliveries,
 * the hop diagnostics of what the message carried.
 */
enum RedisAttributesExtractor implements AttributesExtractor<RedisRequest, String> {
  INSTANCE;

  static final AttributeKey<String> KIND = AttributeKey.stringKey("messaging.redis.kind");
  static final AttributeKey<String> CONSUMER_GROUP =
      AttributeKey.stringKey("messaging.consumer.group.name");
  static final AttributeKey<Long> DELIVERED_COUNT =
      AttributeKey.longKey("messaging.redis.stream.delivered_count");

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, RedisRequest request) {
    attributes.put(KIND, request.stream ? "stream" : "pubsub");
    if (request.group != null) attributes.put(CONSUMER_GROUP, request.group);
    if (request.deliveredCount != null) attributes.put(DELIVERED_COUNT, request.deliveredCount);
    HopDiagnostics diagnostics = request.diagnostics();
    if (diagnostics != null) diagnostics.putAttributes(attributes);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      RedisRequest request,
      String entryId,
      Throwable error) {}
}
