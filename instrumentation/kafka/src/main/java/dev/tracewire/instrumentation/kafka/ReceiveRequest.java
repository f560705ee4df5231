package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.context.Context;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The records of one poll, each with the context extracted from its headers. */
final class ReceiveRequest {
  final List<ConsumerRecord<?, ?>> records;
  final List<Context> extracted;
  final String consumerGroup;
  final String topic; // null when the poll spans several topics

  ReceiveRequest(
      List<ConsumerRecord<?, ?>> records, List<Context> extracted, String consumerGroup) {
    this.records = records;
    this.extracted = extracted;
    this.consumerGroup = consumerGroup;
    String topic = records.isEmpty() ? null : records.get(0).topic();
    for (ConsumerRecord<?, ?> record : records) {
      if (!record.topic().equals(topic)) {
        topic = null;
        break;
      }
    }
    this.topic = topic;
  }
}
