package dev.tracewire.instrumentation.rabbitmq;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/**
 * RabbitMQ's own attributes of a delivery (routing key, delivery tag, broker address) and the hop
 * diagnostics of the headers it came with.
 */
enum DeliveryAttributesExtractor implements AttributesExtractor<DeliveryRequest, Void> {
  INSTANCE;

  @Override
  public void onStart(
      AttributesBuilder attributes, Context parentContext, DeliveryRequest request) {
    if (request.envelope != null) {
      String routingKey = request.envelope.getRoutingKey();
      if (routingKey != null && !routingKey.isEmpty()) {
        attributes.put(RabbitAttributes.ROUTING_KEY, routingKey);
      }
      attributes.put(RabbitAttributes.DELIVERY_TAG, request.envelope.getDeliveryTag());
    }
    RabbitAttributes.putPeer(attributes, request.peer);
    // from the message, not parentContext: a basicGet's parent may be the poller's own span
    HopDiagnostics diagnostics = request.diagnostics();
    if (diagnostics != null) diagnostics.putAttributes(attributes);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      DeliveryRequest request,
      Void response,
      Throwable error) {}
}
