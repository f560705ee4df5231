package dev.tracewire.instrumentation.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hops between our wrappers and OpenTelemetry's own kafka-clients instrumentation ({@code
 * KafkaTelemetry}), in both directions: a fleet adopts the kit one service at a time.
 */
class OpenTelemetryPeerTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  @Test
  void openTelemetryProducer_toKafkaTracingConsumer_isOneHop() throws Exception {
    String topic = kafka.newTopic("otel-to-tracewire", 1);
    Span caller = capture.service("shop").getTracer("test").spanBuilder("checkout").startSpan();
    try (Producer<String, String> producer =
            KafkaTelemetry.create(capture.service("shop")).wrap(kafka.newProducer());
        Scope ignored = caller.makeCurrent()) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get(10, TimeUnit.SECONDS);
    } finally {
      caller.end();
    }

    KafkaTracing billing = KafkaTracing.create(capture.service("billing"));
    try (Consumer<String, String> consumer = billing.consumer(kafka.newConsumer(null))) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      pollOne(consumer);
    }

    SpanData producer = only(SpanKind.PRODUCER, "shop");
    SpanData process = only(SpanKind.CONSUMER, "billing");
    assertThat(process.getParentSpanId()).isEqualTo(producer.getSpanId());
    assertThat(process.getAttributes().get(HopAttributes.USED)).isEqualTo("tracecontext");
    TraceAssert.assertThat(capture.trace(caller.getSpanContext().getTraceId()))
        .isUnbroken()
        .hasHop("shop", "billing", "kafka");
  }

  @Test
  void kafkaTracingProducer_toOpenTelemetryConsumer_isOneHop() throws Exception {
    String topic = kafka.newTopic("tracewire-to-otel", 1);
    Span caller = capture.service("orders").getTracer("test").spanBuilder("checkout").startSpan();
    try (Producer<String, String> producer =
            KafkaTracing.create(capture.service("orders")).producer(kafka.newProducer());
        Scope ignored = caller.makeCurrent()) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get(10, TimeUnit.SECONDS);
    } finally {
      caller.end();
    }

    try (Consumer<String, String> consumer =
        KafkaTelemetry.create(capture.service("ledger")).wrap(kafka.newConsumer(null))) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      ConsumerRecords<String, String> records = pollOne(consumer);
      // OpenTelemetry's process span lives while the application iterates
      for (ConsumerRecord<String, String> record : records) {
        assertThat(record.value()).isEqualTo("v");
      }
    }

    SpanData producer = only(SpanKind.PRODUCER, "orders");
    assertThat(producer.getAttributes().get(HopAttributes.INJECTED))
        .as("no baggage was current, so only the trace context was written")
        .containsExactly("tracecontext");
    TraceAssert.assertThat(capture.trace(caller.getSpanContext().getTraceId()))
        .isUnbroken()
        .hasHop("orders", "ledger", "kafka");
  }

  private static ConsumerRecords<String, String> pollOne(Consumer<String, String> consumer) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
      if (!records.isEmpty()) return records;
    }
    throw new AssertionError("no record polled within 20s");
  }

  private static SpanData only(SpanKind kind, String service) {
    List<SpanData> spans =
        capture.spans().stream()
            .filter(s -> s.getKind() == kind)
            .filter(s -> service.equals(s.getResource().getAttribute(SERVICE_NAME)))
            .collect(Collectors.toList());
    assertThat(spans).as("%s spans of %s among %s", kind, service, capture.spans()).hasSize(1);
    return spans.get(0);
  }
}
