package dev.tracewire.instrumentation.kafka;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The record's identity and the hop diagnostics its headers produced. */
enum ProcessAttributesExtractor implements AttributesExtractor<ProcessRequest, Void> {
  INSTANCE;

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, ProcessRequest request) {
    ConsumerRecord<?, ?> record = request.record;
    KafkaAttributes.putRecord(attributes, record.topic(), record.partition(), record.offset());
    KafkaAttributes.putKey(attributes, record.key());
    if (request.consumerGroup != null) {
      attributes.put(KafkaAttributes.CONSUMER_GROUP, request.consumerGroup);
    }
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(request.extracted);
    if (diagnostics != null) diagnostics.putAttributes(attributes);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      ProcessRequest request,
      Void unused,
      Throwable error) {}
}
