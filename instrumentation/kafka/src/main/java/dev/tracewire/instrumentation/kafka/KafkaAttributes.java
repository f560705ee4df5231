package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * The semconv identity of a Kafka record, written identically on both sides of a hop so a producer
 * span and its consumer span pair exactly: topic, partition, offset and a message id derived from
 * them.
 */
final class KafkaAttributes {
  static final String SYSTEM = "kafka";

  // incubating semconv keys, spelled out: the kit does not depend on semconv-incubating
  static final AttributeKey<String> PARTITION_ID =
      AttributeKey.stringKey("messaging.destination.partition.id");
  static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> MESSAGE_KEY =
      AttributeKey.stringKey("messaging.kafka.message.key");
  static final AttributeKey<String> CONSUMER_GROUP =
      AttributeKey.stringKey("messaging.consumer.group.name");
  static final AttributeKey<Long> BATCH_COUNT =
      AttributeKey.longKey("messaging.batch.message_count");

  /**
   * Kafka has no message id; topic, partition and offset identify a record in its cluster, and both
   * sides know them: {@code orders-3@42}.
   */
  static String messageId(String topic, int partition, long offset) {
    return topic + '-' + partition + '@' + offset;
  }

  static void putRecord(AttributesBuilder attributes, String topic, int partition, long offset) {
    attributes.put(PARTITION_ID, Integer.toString(partition));
    if (offset >= 0) {
      attributes.put(OFFSET, offset);
      attributes.put(MESSAGE_ID, messageId(topic, partition, offset));
    }
  }

  static void putKey(AttributesBuilder attributes, Object key) {
    if (key instanceof String) attributes.put(MESSAGE_KEY, (String) key);
  }

  private KafkaAttributes() {}
}
