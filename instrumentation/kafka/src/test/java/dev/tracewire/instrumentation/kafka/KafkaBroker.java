package dev.tracewire.instrumentation.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft Kafka (combined broker and controller) in this JVM on loopback, started
 * once per test class: {@code @RegisterExtension static final KafkaBroker kafka = new
 * KafkaBroker();}. Published in this module's test-jar for other modules' Kafka tests.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
  private KafkaClusterTestKit cluster;
  private Admin admin;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .build();
    cluster =
        new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("num.network.threads", "1")
            .setConfigProp("num.io.threads", "2")
            .setConfigProp("background.threads", "2")
            .setConfigProp("log.cleaner.enable", "false")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    admin = cluster.admin();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (admin != null) admin.close(Duration.ofSeconds(5));
    if (cluster != null) cluster.close();
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Creates a fresh single-partition topic and returns its name. */
  public String newTopic(String prefix) throws Exception {
    return newTopic(prefix, 1);
  }

  /** Creates a fresh topic with {@code partitions} partitions and returns its name. */
  public String newTopic(String prefix, int partitions) throws Exception {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    return name;
  }

  public KafkaProducer<String, String> newProducer() {
    return newProducer(new StringSerializer(), new StringSerializer());
  }

  /** A producer that sends at once and waits for every replica. */
  public <K, V> KafkaProducer<K, V> newProducer(Serializer<K> keys, Serializer<V> values) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, keys, values);
  }

  /** A consumer in {@code group} (or none, when null, for manual assignment) from the earliest. */
  public KafkaConsumer<String, String> newConsumer(String group) {
    return newConsumer(group, new StringDeserializer(), new StringDeserializer());
  }

  /** As {@link #newConsumer(String)}, with the given deserializers. */
  public <K, V> KafkaConsumer<K, V> newConsumer(
      String group, Deserializer<K> keys, Deserializer<V> values) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    if (group != null) config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    return new KafkaConsumer<>(config, keys, values);
  }
}
