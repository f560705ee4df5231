package dev.tracewire.instrumentation.kafka;

import dev.tracewire.testing.HopSuite;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The shared hop suite over a real broker: the caller's wrapped producer sends one record, the
 * callee's wrapped consumer polls it on the test thread and handles it in {@link
 * KafkaTracing#context(ConsumerRecord)}.
 */
abstract class KafkaHopSuite extends HopSuite {

  /** The two sides of the hop, built once per test class. */
  static final class Peers implements AutoCloseable {
    final String topic;
    final KafkaTracing calleeTracing;
    final Producer<String, String> producer;
    final Consumer<String, String> consumer;

    Peers(KafkaBroker kafka, dev.tracewire.testing.TraceCapture capture, BatchPolicy policy)
        throws Exception {
      topic = kafka.newTopic("hop", 1);
      producer = KafkaTracing.create(capture.service(CALLER)).producer(kafka.newProducer());
      calleeTracing = KafkaTracing.newBuilder(capture.service(CALLEE)).batchPolicy(policy).build();
      consumer = calleeTracing.consumer(kafka.newConsumer(null));
      consumer.assign(List.of(new TopicPartition(topic, 0)));
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(5));
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  abstract Peers peers();

  @Override
  protected String transport() {
    return "kafka";
  }

  @Override
  protected void send() throws Exception {
    Peers peers = peers();
    peers
        .producer
        .send(new ProducerRecord<>(peers.topic, "key", "value"))
        .get(10, TimeUnit.SECONDS);
  }

  @Override
  protected void receive() {
    Peers peers = peers();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      ConsumerRecords<String, String> records = peers.consumer.poll(Duration.ofMillis(200));
      for (ConsumerRecord<String, String> record : records) {
        HopSuite.leakChecked(
                () -> {
                  try (Scope ignored = peers.calleeTracing.context(record).makeCurrent()) {
                    HopSuite.calleeHandled();
                  }
                })
            .run();
      }
      if (!records.isEmpty()) return;
    }
  }
}
