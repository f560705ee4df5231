package dev.tracewire.instrumentation.rabbitmq;

import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;
import java.util.List;

/** Semantic-conventions messaging attributes of a delivered message. */
enum DeliveryAttributesGetter implements MessagingAttributesGetter<DeliveryRequest, Void> {
  INSTANCE;

  @Override
  public String getSystem(DeliveryRequest request) {
    return "rabbitmq";
  }

  @Override
  public String getDestination(DeliveryRequest request) {
    return request.envelope == null ? null : Headers.exchangeName(request.envelope.getExchange());
  }

  @Override
  public String getDestinationTemplate(DeliveryRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(DeliveryRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(DeliveryRequest request) {
    return false;
  }

  @Override
  public String getConversationId(DeliveryRequest request) {
    return request.properties == null ? null : request.properties.getCorrelationId();
  }

  @Override
  public Long getMessageBodySize(DeliveryRequest request) {
    return request.envelope == null ? null : request.bodySize;
  }

  @Override
  public Long getMessageEnvelopeSize(DeliveryRequest request) {
    return null;
  }

  @Override
  public String getMessageId(DeliveryRequest request, Void unused) {
    return request.properties == null ? null : request.properties.getMessageId();
  }

  @Override
  public String getClientId(DeliveryRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(DeliveryRequest request, Void unused) {
    return null;
  }

  @Override
  public String getDestinationSubscriptionName(DeliveryRequest request) {
    return request.queue;
  }

  @Override
  public List<String> getMessageHeader(DeliveryRequest request, String name) {
    return Headers.asList(request.headers(), name);
  }
}
