package dev.tracewire.instrumentation.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.tracewire.instrumentation.envelope.Envelope;
import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT 3.1.1 at QoS 1: the context travels in the payload envelope; the traced subscriber sees the
 * application payload, a subscriber without the kit sees the envelope.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Mqtt3EnvelopeHopTest extends HopSuite {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static final byte[] PAYLOAD = {0, 1, 2, (byte) 0xFF, 'o', 'k'};

  Mqtt3AsyncClient caller;
  Mqtt3AsyncClient callee;
  Mqtt3AsyncClient plain;
  MqttTracing callerTracing;
  String topic = MqttBroker.topic("mqtt3");
  volatile CompletableFuture<byte[]> tracedPayload = new CompletableFuture<>();
  volatile CompletableFuture<byte[]> plainPayload = new CompletableFuture<>();

  @BeforeAll
  void connect() throws Exception {
    caller = MqttBroker.connect3();
    callee = MqttBroker.connect3();
    plain = MqttBroker.connect3();
    callerTracing = MqttTracing.create(capture.service(CALLER));
    MqttTracing calleeTracing = MqttTracing.create(capture.service(CALLEE));
    callee
        .subscribeWith()
        .topicFilter(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(
            MqttBroker.leakChecked(
                calleeTracing.mqtt3Callback(
                    p -> {
                      tracedPayload.complete(p.getPayloadAsBytes());
                      calleeHandled();
                    })))
        .send()
        .get(5, TimeUnit.SECONDS);
    plain
        .subscribeWith()
        .topicFilter(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> plainPayload.complete(p.getPayloadAsBytes()))
        .send()
        .get(5, TimeUnit.SECONDS);
  }

  @AfterAll
  void disconnect() {
    for (Mqtt3AsyncClient client : new Mqtt3AsyncClient[] {caller, callee, plain}) {
      if (client != null) client.disconnect();
    }
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected String transport() {
    return "mqtt";
  }

  @Override
  protected void send() throws Exception {
    tracedPayload = new CompletableFuture<>();
    plainPayload = new CompletableFuture<>();
    callerTracing
        .publish(
            caller,
            Mqtt3Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(PAYLOAD).build())
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void tracedSubscriber_seesPayloadByteForByte_plainSubscriberSeesEnvelope() throws Exception {
    send();
    assertThat(tracedPayload.get(5, TimeUnit.SECONDS)).isEqualTo(PAYLOAD);
    byte[] seenWithoutKit = plainPayload.get(5, TimeUnit.SECONDS);
    assertThat(Envelope.isEnvelope(seenWithoutKit)).isTrue();
    assertThat(Envelope.unwrap(seenWithoutKit).payload()).isEqualTo(PAYLOAD);
    assertThat(Envelope.unwrap(seenWithoutKit).fields()).containsKey("traceparent");
  }
}
