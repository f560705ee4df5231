package dev.tracewire.instrumentation.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retained messages and QoS 1 redeliveries keep the link to the original publish. */
class MqttRedeliveryTest {
  private static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");

  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  @Test
  void retainedMessage_laterSubscriberContinuesThePublish_mqtt5() throws Exception {
    String topic = MqttBroker.topic("retained5");
    Mqtt5AsyncClient publisher = MqttBroker.connect5();
    Mqtt5AsyncClient subscriber = MqttBroker.connect5();
    try {
      MqttTracing.create(capture.service("sensor"))
          .publish(
              publisher,
              Mqtt5Publish.builder()
                  .topic(topic)
                  .retain(true)
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(MqttBroker.body("21.5"))
                  .build())
          .get(5, TimeUnit.SECONDS);
      BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
      subscriber
          .subscribeWith()
          .topicFilter(topic)
          .callback(MqttTracing.create(capture.service("dashboard")).callback(received::add))
          .send()
          .get(5, TimeUnit.SECONDS);
      assertThat(received.poll(5, TimeUnit.SECONDS).isRetain()).isTrue();
      assertConsumersContinuePublish(topic, 1);
    } finally {
      // clear the retained message
      publisher.publishWith().topic(topic).retain(true).send().get(5, TimeUnit.SECONDS);
      publisher.disconnect();
      subscriber.disconnect();
    }
  }

  @Test
  void retainedMessage_laterSubscriberContinuesThePublish_mqtt3Envelope() throws Exception {
    String topic = MqttBroker.topic("retained3");
    Mqtt3AsyncClient publisher = MqttBroker.connect3();
    Mqtt3AsyncClient subscriber = MqttBroker.connect3();
    try {
      MqttTracing.create(capture.service("sensor"))
          .publish(
              publisher,
              Mqtt3Publish.builder()
                  .topic(topic)
                  .retain(true)
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(MqttBroker.body("21.5"))
                  .build())
          .get(5, TimeUnit.SECONDS);
      BlockingQueue<Mqtt3Publish> received = new LinkedBlockingQueue<>();
      subscriber
          .subscribeWith()
          .topicFilter(topic)
          .callback(MqttTracing.create(capture.service("dashboard")).mqtt3Callback(received::add))
          .send()
          .get(5, TimeUnit.SECONDS);
      Mqtt3Publish retained = received.poll(5, TimeUnit.SECONDS);
      assertThat(retained.isRetain()).isTrue();
      assertThat(retained.getPayloadAsBytes()).isEqualTo(MqttBroker.body("21.5"));
      assertConsumersContinuePublish(topic, 1);
    } finally {
      publisher.publishWith().topic(topic).retain(true).send().get(5, TimeUnit.SECONDS);
      publisher.disconnect();
      subscriber.disconnect();
    }
  }

  @Test
  void qos1Redelivery_afterReconnectWithoutAck_continuesThePublish() throws Exception {
    String topic = MqttBroker.topic("redelivery");
    String id = MqttBroker.id();
    MqttTracing subscriberTracing = MqttTracing.create(capture.service("worker"));
    BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient first = persistentSession(id, subscriberTracing, received);
    first
        .subscribeWith()
        .topicFilter(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(5, TimeUnit.SECONDS);
    Mqtt5AsyncClient publisher = MqttBroker.connect5();
    try {
      MqttTracing.create(capture.service("orders"))
          .publish(
              publisher,
              Mqtt5Publish.builder()
                  .topic(topic)
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(MqttBroker.body("order 1"))
                  .build())
          .get(5, TimeUnit.SECONDS);
      assertThat(received.poll(5, TimeUnit.SECONDS)).as("first delivery").isNotNull();
      // never acknowledged: the broker redelivers to the same session
      first.disconnect().get(5, TimeUnit.SECONDS);
      Mqtt5AsyncClient second = persistentSession(id, subscriberTracing, received);
      try {
        assertThat(received.poll(5, TimeUnit.SECONDS)).as("redelivery").isNotNull();
        assertConsumersContinuePublish(topic, 2);
      } finally {
        second.unsubscribeWith().topicFilter(topic).send().get(5, TimeUnit.SECONDS);
        second.disconnect();
      }
    } finally {
      publisher.disconnect();
    }
  }

  static Mqtt5AsyncClient persistentSession(
      String id, MqttTracing tracing, BlockingQueue<Mqtt5Publish> received) throws Exception {
    Mqtt5AsyncClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost(MqttBroker.HOST)
            .serverPort(MqttBroker.PORT)
            .buildAsync();
    client.publishes(MqttGlobalPublishFilter.ALL, tracing.callback(received::add), true);
    client
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(60)
        .send()
        .get(5, TimeUnit.SECONDS);
    return client;
  }

  static void assertConsumersContinuePublish(String topic, int consumers)
      throws InterruptedException {
    // only this test's topic: clearing an earlier test's retained message is delivered late
    List<SpanData> spans = List.of();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (spans.size() < 1 + consumers && System.nanoTime() < deadline) {
      Thread.sleep(10);
      spans =
          capture.spans().stream()
              .filter(s -> topic.equals(s.getAttributes().get(DESTINATION)))
              .toList();
    }
    SpanData publish =
        spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
    List<SpanData> processes =
        spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
    assertThat(processes).hasSize(consumers);
    assertThat(processes)
        .allSatisfy(
            p -> {
              assertThat(p.getTraceId()).isEqualTo(publish.getTraceId());
              assertThat(p.getParentSpanId()).isEqualTo(publish.getSpanId());
            });
  }

  @Test
  void unreachableBroker_failsNamingMosquittoAndItsStartCommand() {
    assertThatThrownBy(() -> MqttBroker.connect5(1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Mosquitto (MQTT) not reachable at 127.0.0.1:1")
        .hasMessageContaining("mosquitto -d");
  }
}
