package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;
import org.apache.kafka.clients.producer.RecordMetadata;

enum SendAttributesGetter implements MessagingAttributesGetter<SendRequest, RecordMetadata> {
  INSTANCE;

  @Override
  public String getSystem(SendRequest request) {
    return KafkaAttributes.SYSTEM;
  }

  @Override
  public String getDestination(SendRequest request) {
    return request.record.topic();
  }

  @Override
  public String getDestinationTemplate(SendRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(SendRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(SendRequest request) {
    return false;
  }

  @Override
  public String getConversationId(SendRequest request) {
    return null;
  }

  @Override
  public Long getMessageBodySize(SendRequest request) {
    return null;
  }

  @Override
  public Long getMessageEnvelopeSize(SendRequest request) {
    return null;
  }

  @Override
  public String getMessageId(SendRequest request, RecordMetadata metadata) {
    return null; // written with partition and offset once the broker acknowledged
  }

  @Override
  public String getClientId(SendRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(SendRequest request, RecordMetadata metadata) {
    return null;
  }
}
