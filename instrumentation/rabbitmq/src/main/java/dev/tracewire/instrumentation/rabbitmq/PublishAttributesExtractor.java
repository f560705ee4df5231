package dev.tracewire.instrumentation.rabbitmq;

import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/** RabbitMQ's own attributes of a publish: routing key and broker address. */
enum PublishAttributesExtractor implements AttributesExtractor<PublishRequest, Void> {
  INSTANCE;

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, PublishRequest request) {
    if (request.routingKey != null && !request.routingKey.isEmpty()) {
      attributes.put(RabbitAttributes.ROUTING_KEY, request.routingKey);
    }
    RabbitAttributes.putPeer(attributes, request.peer);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      PublishRequest request,
      Void response,
      Throwable error) {}
}
