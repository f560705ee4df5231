package dev.tracewire.instrumentation.mqtt;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/**
 * MQTT's own attributes (QoS, retain flag, protocol version, response topic) and, on deliveries,
 * the hop diagnostics of what the message carried.
 */
enum MqttAttributesExtractor implements AttributesExtractor<MqttRequest, Void> {
  INSTANCE;

  static final AttributeKey<Long> QOS = AttributeKey.longKey("messaging.mqtt.qos");
  static final AttributeKey<Boolean> RETAIN = AttributeKey.booleanKey("messaging.mqtt.retain");
  static final AttributeKey<Long> PROTOCOL_VERSION =
      AttributeKey.longKey("messaging.mqtt.protocol_version");
  static final AttributeKey<String> RESPONSE_TOPIC =
      AttributeKey.stringKey("messaging.mqtt.response_topic");

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, MqttRequest request) {
    attributes.put(QOS, request.qos);
    attributes.put(PROTOCOL_VERSION, request.protocolVersion);
    if (request.retain) attributes.put(RETAIN, true);
    if (request.responseTopic != null) attributes.put(RESPONSE_TOPIC, request.responseTopic);
    HopDiagnostics diagnostics = request.diagnostics();
    if (diagnostics != null) diagnostics.putAttributes(attributes);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      MqttRequest request,
      Void response,
      Throwable error) {}
}
