package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.AMQP;
import java.util.Map;

/** One {@code basic.publish}, as the producer span sees it. */
final class PublishRequest {
  final String exchange;
  final String routingKey;
  final AMQP.BasicProperties properties;
  final String messageId;
  final long bodySize;
  final Peer peer;

  PublishRequest(
      String exchange,
      String routingKey,
      AMQP.BasicProperties properties,
      String messageId,
      long bodySize,
      Peer peer) {
    this.exchange = exchange;
    this.routingKey = routingKey;
    this.properties = properties;
    this.messageId = messageId;
    this.bodySize = bodySize;
    this.peer = peer;
  }

  Map<String, Object> headers() {
    return properties == null ? null : properties.getHeaders();
  }
}
