package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Partition, offset and message id as the broker acknowledged them, before the span ends. */
enum SendAttributesExtractor implements AttributesExtractor<SendRequest, RecordMetadata> {
  INSTANCE;

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, SendRequest request) {
    Integer partition = request.record.partition();
    if (partition != null) attributes.put(KafkaAttributes.PARTITION_ID, partition.toString());
    KafkaAttributes.putKey(attributes, request.record.key());
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      SendRequest request,
      RecordMetadata metadata,
      Throwable error) {
    if (metadata == null) return;
    KafkaAttributes.putRecord(
        attributes,
        metadata.topic(),
        metadata.partition(),
        metadata.hasOffset() ? metadata.offset() : -1);
  }
}
