package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.context.Context;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One consumed record with the context extracted from its headers. */
final class ProcessRequest {
  final ConsumerRecord<?, ?> record;
  final Context extracted;
  final String consumerGroup;

  ProcessRequest(ConsumerRecord<?, ?> record, Context extracted, String consumerGroup) {
    this.record = record;
    this.extracted = extracted;
    this.consumerGroup = consumerGroup;
  }
}
