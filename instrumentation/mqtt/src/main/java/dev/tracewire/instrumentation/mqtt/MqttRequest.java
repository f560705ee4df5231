package dev.tracewire.instrumentation.mqtt;

import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.context.Context;

/** One published or delivered MQTT message. */
final class MqttRequest {
  final String topic;
  final int qos;
  final boolean retain;
  final long bodySize;
  final int protocolVersion;
  final String responseTopic;

  /** The context current when the message arrived; {@code null} for publishes. */
  final Context base;

  /** {@link #base} with what the message carried; {@code null} for publishes. */
  final Context extracted;

  private MqttRequest(
      String topic,
      int qos,
      boolean retain,
      long bodySize,
      int protocolVersion,
      String responseTopic,
      Context base,
      Context extracted) {
    this.topic = topic;
    this.qos = qos;
    this.retain = retain;
    this.bodySize = bodySize;
    this.protocolVersion = protocolVersion;
    this.responseTopic = responseTopic;
    this.base = base;
    this.extracted = extracted;
  }

  static MqttRequest publish(Mqtt5Publish publish, int version) {
    return delivery(publish, version, null, null);
  }

  static MqttRequest delivery(Mqtt5Publish publish, int version, Context base, Context extracted) {
    return new MqttRequest(
        publish.getTopic().toString(),
        publish.getQos().getCode(),
        publish.isRetain(),
        publish.getPayload().map(b -> (long) b.remaining()).orElse(0L),
        version,
        publish.getResponseTopic().map(Object::toString).orElse(null),
        base,
        extracted);
  }

  static MqttRequest publish(Mqtt3Publish publish) {
    return delivery(publish, null, null);
  }

  static MqttRequest delivery(Mqtt3Publish publish, Context base, Context extracted) {
    return new MqttRequest(
        publish.getTopic().toString(),
        publish.getQos().getCode(),
        publish.isRetain(),
        publish.getPayload().map(b -> (long) b.remaining()).orElse(0L),
        3,
        null,
        base,
        extracted);
  }

  /** Hop diagnostics of this message, or {@code null} when extract recorded none for it. */
  HopDiagnostics diagnostics() {
    if (extracted == null || extracted == base) return null;
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(extracted);
    // a propagator that records none leaves the diagnostics of an outer request in the context
    if (diagnostics == null || diagnostics == HopDiagnostics.fromContext(base)) return null;
    return diagnostics;
  }
}
