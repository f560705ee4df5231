package dev.tracewire.instrumentation.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MQTT 5 at QoS 2: the context travels in user properties. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Mqtt5HopTest extends HopSuite {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  Mqtt5AsyncClient caller;
  Mqtt5AsyncClient callee;
  MqttTracing callerTracing;
  String topic = MqttBroker.topic("mqtt5");

  @BeforeAll
  void connect() throws Exception {
    caller = MqttBroker.connect5();
    callee = MqttBroker.connect5();
    callerTracing = MqttTracing.create(capture.service(CALLER));
    MqttTracing calleeTracing = MqttTracing.create(capture.service(CALLEE));
    callee
        .subscribeWith()
        .topicFilter(topic)
        .qos(MqttQos.EXACTLY_ONCE)
        .callback(MqttBroker.leakChecked(calleeTracing.callback(p -> calleeHandled())))
        .send()
        .get(5, TimeUnit.SECONDS);
  }

  @AfterAll
  void disconnect() {
    if (caller != null) caller.disconnect();
    if (callee != null) callee.disconnect();
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
    callerTracing
        .publish(
            caller,
            Mqtt5Publish.builder()
                .topic(topic)
                .qos(MqttQos.EXACTLY_ONCE)
                .payload(MqttBroker.body("order 1"))
                .build())
        .get(5, TimeUnit.SECONDS);
  }
}
