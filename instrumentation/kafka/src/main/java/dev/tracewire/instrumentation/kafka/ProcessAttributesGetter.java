package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;

enum ProcessAttributesGetter implements MessagingAttributesGetter<ProcessRequest, Void> {
  INSTANCE;

  @Override
  public String getSystem(ProcessRequest request) {
    return KafkaAttributes.SYSTEM;
  }

  @Override
  public String getDestination(ProcessRequest request) {
    return request.record.topic();
  }

  @Override
  public String getDestinationTemplate(ProcessRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(ProcessRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(ProcessRequest request) {
    return false;
  }

  @Override
  public String getConversationId(ProcessRequest request) {
    return null;
  }

  @Override
  public Long getMessageBodySize(ProcessRequest request) {
    int size = request.record.serializedValueSize();
    return size < 0 ? null : (long) size;
  }

  @Override
  public Long getMessageEnvelopeSize(ProcessRequest request) {
    return null;
  }

  @Override
  public String getMessageId(ProcessRequest request, Void unused) {
    return null; // written by RecordAttributesExtractor, in the same shape as the producer's
  }

  @Override
  public String getClientId(ProcessRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(ProcessRequest request, Void unused) {
    return null;
  }

  @Override
  public String getDestinationSubscriptionName(ProcessRequest request) {
    return request.consumerGroup;
  }
}
