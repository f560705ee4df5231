package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;

enum ReceiveAttributesGetter implements MessagingAttributesGetter<ReceiveRequest, Void> {
  INSTANCE;

  @Override
  public String getSystem(ReceiveRequest request) {
    return KafkaAttributes.SYSTEM;
  }

  @Override
  public String getDestination(ReceiveRequest request) {
    return request.topic;
  }

  @Override
  public String getDestinationTemplate(ReceiveRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(ReceiveRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(ReceiveRequest request) {
    return false;
  }

  @Override
  public String getConversationId(ReceiveRequest request) {
    return null;
  }

  @Override
  public Long getMessageBodySize(ReceiveRequest request) {
    return null;
  }

  @Override
  public Long getMessageEnvelopeSize(ReceiveRequest request) {
    return null;
  }

  @Override
  public String getMessageId(ReceiveRequest request, Void unused) {
    return null;
  }

  @Override
  public String getClientId(ReceiveRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(ReceiveRequest request, Void unused) {
    return (long) request.records.size();
  }

  @Override
  public String getDestinationSubscriptionName(ReceiveRequest request) {
    return request.consumerGroup;
  }
}
