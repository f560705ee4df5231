package dev.tracewire.instrumentation.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.instrumentation.kafka.KafkaBroker;
import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.VoidSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Events over Kafka with CloudEvents' Kafka binding against a real in-JVM broker: the hop suite in
 * binary mode ({@code ce_} headers), and structured mode (JSON value) as its own case. The Kafka
 * clients are not traced: the event's tracing extension alone carries the trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaEventHopTest extends HopSuite {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  KafkaProducer<Void, byte[]> producer;
  KafkaConsumer<String, byte[]> consumer;
  CloudEventsTracing callerTracing;
  CloudEventsTracing calleeTracing;
  String topic;
  boolean structured;

  @BeforeAll
  void connect() throws Exception {
    topic = kafka.newTopic("events");
    // the byte-array clients CloudEvents' Kafka binding uses
    producer = kafka.newProducer(new VoidSerializer(), new ByteArraySerializer());
    consumer = kafka.newConsumer("billing", new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    callerTracing = CloudEventsTracing.create(capture.service(CALLER));
    calleeTracing = CloudEventsTracing.create(capture.service(CALLEE));
  }

  @AfterAll
  void disconnect() {
    if (producer != null) producer.close(Duration.ofSeconds(5));
    if (consumer != null) consumer.close();
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected String transport() {
    return "messaging";
  }

  @Override
  protected void send() throws Exception {
    CloudEvent event = callerTracing.inject(HttpEventHopSuite.orderPlaced());
    var writer = KafkaMessageFactory.<Void>createWriter(topic);
    ProducerRecord<Void, byte[]> record =
        structured ? writer.writeStructured(event, new JsonFormat()) : writer.writeBinary(event);
    producer.send(record).get();
  }

  @Override
  protected void receive() {
    ConsumerRecord<String, byte[]> record = pollOne();
    CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
    calleeTracing.process(event, e -> calleeHandled());
  }

  ConsumerRecord<String, byte[]> pollOne() {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() - deadline < 0) {
      ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
      if (!records.isEmpty()) {
        assertThat(records.count()).as("records polled from " + topic).isEqualTo(1);
        consumer.commitSync();
        return records.iterator().next();
      }
    }
    throw new AssertionError("no record arrived in " + topic + " within 20 s");
  }

  @Test
  void structuredMode_keepsTheTrace() throws Exception {
    structured = true;
    try {
      send();
      receive();
    } finally {
      structured = false;
    }
    List<SpanData> spans = capture.awaitSpans(2);
    SpanData create =
        spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
    SpanData process =
        spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
    assertThat(process.getParentSpanId()).isEqualTo(create.getSpanId());
    TraceAssert.assertThat(capture.trace(create.getTraceId()))
        .isUnbroken()
        .hasHop(CALLER, CALLEE, "messaging");
  }
}
