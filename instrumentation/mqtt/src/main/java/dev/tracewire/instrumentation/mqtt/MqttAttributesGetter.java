package dev.tracewire.instrumentation.mqtt;

import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;

/** Semantic-conventions messaging attributes of an MQTT message. */
enum MqttAttributesGetter implements MessagingAttributesGetter<MqttRequest, Void> {
  INSTANCE;

  @Override
  public String getSystem(MqttRequest request) {
    return "mqtt";
  }

  @Override
  public String getDestination(MqttRequest request) {
    return request.topic;
  }

  @Override
  public String getDestinationTemplate(MqttRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(MqttRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(MqttRequest request) {
    return false;
  }

  @Override
  public String getConversationId(MqttRequest request) {
    return null;
  }

  @Override
  public Long getMessageBodySize(MqttRequest request) {
    return request.bodySize;
  }

  @Override
  public Long getMessageEnvelopeSize(MqttRequest request) {
    return null;
  }

  @Override
  public String getMessageId(MqttRequest request, Void unused) {
    return null;
  }

  @Override
  public String getClientId(MqttRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(MqttRequest request, Void unused) {
    return null;
  }
}
