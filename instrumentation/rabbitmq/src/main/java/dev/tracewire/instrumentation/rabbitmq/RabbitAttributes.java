package dev.tracewire.instrumentation.rabbitmq;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * Attribute keys of the RabbitMQ semantic conventions (incubating, so spelled here rather than
 * pulled from the incubating artifact at run time), and of dead-letter links.
 */
final class RabbitAttributes {
  static final AttributeKey<String> ROUTING_KEY =
      AttributeKey.stringKey("messaging.rabbitmq.destination.routing_key");
  static final AttributeKey<Long> DELIVERY_TAG =
      AttributeKey.longKey("messaging.rabbitmq.message.delivery_tag");
  static final AttributeKey<String> PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
  static final AttributeKey<Long> PEER_PORT = AttributeKey.longKey("network.peer.port");

  /**
   * On the link from a dead-lettered delivery to its original publish: why it was dead-lettered.
   */
  static final AttributeKey<String> DEATH_REASON =
      AttributeKey.stringKey("tracewire.rabbitmq.death.reason");

  /** On that link: the queue the message was dead-lettered from. */
  static final AttributeKey<String> DEATH_QUEUE =
      AttributeKey.stringKey("tracewire.rabbitmq.death.queue");

  /** On that link: how many times it was dead-lettered from that queue for that reason. */
  static final AttributeKey<Long> DEATH_COUNT =
      AttributeKey.longKey("tracewire.rabbitmq.death.count");

  static void putPeer(AttributesBuilder attributes, Peer peer) {
    if (peer.address == null) return;
    attributes.put(PEER_ADDRESS, peer.address);
    if (peer.port > 0) attributes.put(PEER_PORT, (long) peer.port);
  }

  private RabbitAttributes() {}
}
