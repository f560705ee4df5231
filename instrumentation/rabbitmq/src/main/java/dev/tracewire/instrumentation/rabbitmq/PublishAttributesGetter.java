package dev.tracewire.instrumentation.rabbitmq;

import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;
import java.util.List;

/** Semantic-conventions messaging attributes of a publish. */
enum PublishAttributesGetter implements MessagingAttributesGetter<PublishRequest, Void> {
  INSTANCE;

  @Override
  public String getSystem(PublishRequest request) {
    return "rabbitmq";
  }

  @Override
  public String getDestination(PublishRequest request) {
    return Headers.exchangeName(request.exchange);
  }

  @Override
  public String getDestinationTemplate(PublishRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(PublishRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(PublishRequest request) {
    return false;
  }

  @Override
  public String getConversationId(PublishRequest request) {
    return request.properties == null ? null : request.properties.getCorrelationId();
  }

  @Override
  public Long getMessageBodySize(PublishRequest request) {
    return request.bodySize;
  }

  @Override
  public Long getMessageEnvelopeSize(PublishRequest request) {
    return null;
  }

  @Override
  public String getMessageId(PublishRequest request, Void unused) {
    return request.messageId;
  }

  @Override
  public String getClientId(PublishRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(PublishRequest request, Void unused) {
    return null;
  }

  @Override
  public List<String> getMessageHeader(PublishRequest request, String name) {
    return Headers.asList(request.headers(), name);
  }
}
