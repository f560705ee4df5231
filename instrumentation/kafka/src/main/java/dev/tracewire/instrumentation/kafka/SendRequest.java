package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.api.trace.SpanContext;
import org.apache.kafka.clients.producer.ProducerRecord;

/** One send: the record and, when it is a re-send, the span context of its original send. */
final class SendRequest {
  final ProducerRecord<?, ?> record;
  final SpanContext origin;

  SendRequest(ProducerRecord<?, ?> record, SpanContext origin) {
    this.record = record;
    this.origin = origin;
  }
}
